package io.vigil.systemd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@code struct sockaddr_un} for a socket name as systemd writes it in {@code $NOTIFY_SOCKET}:
 * an absolute path, or {@code @name} for Linux's abstract namespace. Immutable and pure.
 *
 * <p>Example: {@code UnixAddress.parse("@vigil-notify")} holds the family, a NUL byte and the
 * 12 bytes of the name, and {@link #length()} is 15: an abstract name is the exact bytes given,
 * so a trailing NUL or padding would name another socket (unix(7), "abstract").
 */
final class UnixAddress {
  /** {@code sizeof(sun_path)} on Linux. */
  static final int SUN_PATH_SIZE = 108;

  private static final int FAMILY_SIZE = Short.BYTES; // sa_family_t

  private final String name;
  private final byte[] sockaddr;

  private UnixAddress(String name, byte[] sockaddr) {
    this.name = name;
    this.sockaddr = sockaddr;
  }

  /**
   * Parses {@code /path/to/socket} or {@code @abstract-name}.
   *
   * @throws IllegalArgumentException with a message that completes "NOTIFY_SOCKET ..."
   */
  static UnixAddress parse(String name) {
    byte[] path;
    if (name.startsWith("@")) {
      byte[] rest = name.substring(1).getBytes(StandardCharsets.UTF_8);
      path = new byte[1 + rest.length]; // path[0] stays 0: the abstract namespace
      System.arraycopy(rest, 0, path, 1, rest.length);
    } else if (name.startsWith("/")) {
      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      path = Arrays.copyOf(bytes, bytes.length + 1); // with the terminating NUL
    } else {
      throw new IllegalArgumentException("must be an absolute path or @name (got \""
          + name + "\")");
    }
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("must not contain a NUL character");
    }
    if (path.length > SUN_PATH_SIZE) {
      throw new IllegalArgumentException("is too long for a unix socket address: "
          + (path.length - 1) + " bytes, at most " + (SUN_PATH_SIZE - 1) + " (got \""
          + name + "\")");
    }
    ByteBuffer sockaddr = ByteBuffer.allocate(FAMILY_SIZE + path.length)
        .order(ByteOrder.nativeOrder());
    sockaddr.putShort((short) LibC.AF_UNIX).put(path);
    return new UnixAddress(name, sockaddr.array());
  }

  /** The name as given: a path or {@code @name}. */
  String name() {
    return name;
  }

  boolean isAbstract() {
    return name.startsWith("@");
  }

  /** The bytes of the {@code sockaddr_un}, exactly {@link #length()} of them; a copy. */
  byte[] bytes() {
    return sockaddr.clone();
  }

  /** The {@code socklen_t} to pass with it: the family plus the used bytes of sun_path. */
  int length() {
    return sockaddr.length;
  }

  @Override
  public String toString() {
    return name;
  }
}

package io.vigil.systemd;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * An AF_UNIX datagram socket, opened close-on-exec so that instances started later never inherit
 * it. Failures are {@link IOException}s naming the call and errno. Thread-safe: every method
 * holds the socket's lock, so a close never races a send on a reused descriptor.
 */
final class UnixDatagramSocket implements AutoCloseable {
  private int fd;

  private UnixDatagramSocket(int fd) {
    this.fd = fd;
  }

  static UnixDatagramSocket open() throws IOException {
    int fd = LibC.INSTANCE.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw failure("socket(AF_UNIX, SOCK_DGRAM)", Native.getLastError());
    }
    return new UnixDatagramSocket(fd);
  }

  /** Sends one datagram; the whole message or an exception. */
  synchronized void send(byte[] message, UnixAddress to) throws IOException {
    long sent = LibC.INSTANCE.sendto(openFd(), message, message.length, LibC.MSG_NOSIGNAL,
        to.bytes(), to.length());
    if (sent < 0) {
      throw failure("sendto(" + to + ")", Native.getLastError());
    }
  }

  synchronized void bind(UnixAddress address) throws IOException {
    if (LibC.INSTANCE.bind(openFd(), address.bytes(), address.length()) != 0) {
      throw failure("bind(" + address + ")", Native.getLastError());
    }
  }

  /** Makes {@link #receive} give up after {@code timeout} (SO_RCVTIMEO). */
  synchronized void receiveTimeout(Duration timeout) throws IOException {
    // struct timeval: two longs, seconds and microseconds.
    byte[] timeval = ByteBuffer.allocate(2 * Long.BYTES).order(ByteOrder.nativeOrder())
        .putLong(timeout.toSeconds()).putLong(timeout.toNanosPart() / 1_000).array();
    int rc = LibC.INSTANCE.setsockopt(openFd(), LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeval,
        timeval.length);
    if (rc != 0) {
      throw failure("setsockopt(SO_RCVTIMEO)", Native.getLastError());
    }
  }

  /**
   * Receives one datagram of at most {@code maxBytes}; empty when the {@link #receiveTimeout}
   * passed first. Holds the lock while it waits.
   */
  synchronized Optional<byte[]> receive(int maxBytes) throws IOException {
    byte[] buf = new byte[maxBytes];
    long n = LibC.INSTANCE.recv(openFd(), buf, buf.length, 0);
    if (n < 0) {
      int errno = Native.getLastError();
      if (errno == LibC.EAGAIN) {
        return Optional.empty();
      }
      throw failure("recv", errno);
    }
    return Optional.of(Arrays.copyOf(buf, (int) n));
  }

  /** Closes the descriptor; later calls fail with "closed". Idempotent. */
  @Override
  public synchronized void close() {
    if (fd >= 0) {
      LibC.INSTANCE.close(fd);
      fd = -1;
    }
  }

  private int openFd() throws IOException {
    if (fd < 0) {
      throw new IOException("socket is closed");
    }
    return fd;
  }

  private static IOException failure(String call, int errno) {
    return new IOException(call + " failed: " + LibC.INSTANCE.strerror(errno)
        + " (errno " + errno + ")");
  }
}

package io.vigil.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnixAddressTest {

  @Test
  void pathIsFamilyThenPathThenNul() {
    // Given systemd's usual socket
    // When
    UnixAddress a = UnixAddress.parse("/run/systemd/notify");

    // Then: sa_family_t AF_UNIX in native order, the path, one NUL; the length covers them all
    byte[] bytes = a.bytes();
    assertEquals(2 + 19 + 1, a.length());
    assertEquals(a.length(), bytes.length);
    assertEquals(1, family(bytes));
    assertEquals("/run/systemd/notify", text(bytes, 2, bytes.length - 1));
    assertEquals(0, bytes[bytes.length - 1]);
    assertFalse(a.isAbstract());
    assertEquals("/run/systemd/notify", a.toString());
  }

  @Test
  void abstractNameStartsWithNulAndHasNoTrailingNul() {
    // Given an abstract socket name, as systemd --user or a container manager may pass
    // When
    UnixAddress a = UnixAddress.parse("@vigil-notify");

    // Then: sun_path[0] is NUL and the length ends at the last byte of the name (unix(7))
    byte[] bytes = a.bytes();
    assertEquals(2 + 1 + 12, a.length());
    assertEquals(1, family(bytes));
    assertEquals(0, bytes[2]);
    assertEquals("vigil-notify", text(bytes, 3, bytes.length));
    assertTrue(a.isAbstract());
  }

  @Test
  void bytesAreACopy() {
    UnixAddress a = UnixAddress.parse("/x");
    a.bytes()[2] = 'y';
    assertEquals('/', a.bytes()[2]);
  }

  @Test
  void longestNamesFitSunPath() {
    // Given names whose sun_path bytes fill all 108 bytes exactly
    String path = "/" + "p".repeat(106); // + NUL = 108
    String abstractName = "@" + "a".repeat(107); // leading NUL + 107 = 108

    // Then both are accepted
    assertEquals(2 + 108, UnixAddress.parse(path).length());
    assertEquals(2 + 108, UnixAddress.parse(abstractName).length());
  }

  @Test
  void rejectsWhatIsNotAUnixSocketName() {
    record Case(String name, String message) {}
    List<Case> cases = List.of(
        new Case("", "must be an absolute path or @name (got \"\")"),
        new Case("run/notify", "must be an absolute path or @name (got \"run/notify\")"),
        // systemd 254+ may also pass an AF_VSOCK address; Vigil speaks AF_UNIX only.
        new Case("vsock:2:1234", "must be an absolute path or @name (got \"vsock:2:1234\")"),
        new Case("/a\0b", "must not contain a NUL character"),
        new Case("/" + "p".repeat(107), "is too long for a unix socket address: 108 bytes,"
            + " at most 107 (got \"/" + "p".repeat(107) + "\")"),
        new Case("@" + "a".repeat(108), "is too long for a unix socket address: 108 bytes,"
            + " at most 107 (got \"@" + "a".repeat(108) + "\")"));
    for (Case c : cases) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> UnixAddress.parse(c.name), c.name);
      assertEquals(c.message, e.getMessage());
    }
  }

  private static int family(byte[] sockaddr) {
    return ByteBuffer.wrap(sockaddr, 0, 2).order(ByteOrder.nativeOrder()).getShort();
  }

  private static String text(byte[] bytes, int from, int to) {
    return new String(Arrays.copyOfRange(bytes, from, to), StandardCharsets.US_ASCII);
  }
}

package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ParamsTest {
  @Test
  void serviceNamesTable() {
    for (String ok : new String[] {"web", "a", "0", "my-service-2", "a".repeat(63)}) {
      assertEquals(ok, Params.service(ok));
    }
    for (String bad : new String[] {"", "..", ".", "Web", "-web", "web/0", "a".repeat(64),
        "web%2F", "we b", "../etc", null}) {
      ProblemException e = assertThrows(ProblemException.class, () -> Params.service(bad),
          String.valueOf(bad));
      assertEquals(400, e.status());
    }
  }

  @Test
  void integersTable() {
    assertEquals(100, Params.integer("tail", null, 100, 1, 10_000));
    assertEquals(100, Params.integer("tail", "", 100, 1, 10_000));
    assertEquals(5, Params.integer("tail", "5", 100, 1, 10_000));
    assertEquals(10_000, Params.integer("tail", "10000", 100, 1, 10_000));
    assertEquals(0, Params.instance("instance", "0"));
    for (String bad : new String[] {"-1", "0", "10001", "abc", "1.5", "99999999999", " 5",
        "../../etc/passwd"}) {
      ProblemException e = assertThrows(ProblemException.class,
          () -> Params.integer("tail", bad, 100, 1, 10_000), bad);
      assertEquals(400, e.status());
    }
    assertEquals("tail must be between 1 and 10000, got -1",
        assertThrows(ProblemException.class, () -> Params.integer("tail", "-1", 1, 1, 10_000))
            .getMessage());
    assertEquals("instance must be an integer, got '../../etc/passwd'",
        assertThrows(ProblemException.class, () -> Params.instance("instance", "../../etc/passwd"))
            .getMessage());
  }

  @Test
  void instants() {
    assertNull(Params.instant("since", null));
    assertEquals(Instant.parse("2026-11-27T03:00:00Z"),
        Params.instant("since", "2026-11-27T03:00:00Z"));
    assertEquals(Instant.parse("2026-11-27T02:00:00Z"),
        Params.instant("since", "2026-11-27T03:00:00+01:00"));
    assertEquals(400, assertThrows(ProblemException.class,
        () -> Params.instant("since", "garbage")).status());
  }

  @Test
  void choices() {
    assertEquals(0, Params.choice("stream", null, "stdout", "stderr"));
    assertEquals(1, Params.choice("stream", "stderr", "stdout", "stderr"));
    assertEquals("stream must be one of stdout, stderr, got 'x'", assertThrows(
        ProblemException.class, () -> Params.choice("stream", "x", "stdout", "stderr"))
        .getMessage());
  }

  @Test
  void quotedValuesAreCutAndHaveNoControlCharacters() {
    assertEquals("'a?b'", Params.quoted("a\nb"));
    assertEquals(85, Params.quoted("x".repeat(500)).length());
  }
}

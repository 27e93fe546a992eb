package io.vigil.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogTailTest {
  @Test
  void newLinesOfSuccessiveFetchesTable() {
    record Case(String name, List<String> before, List<String> after, List<String> expectedNew) {}
    List<Case> cases = List.of(
        new Case("first fetch: all new", List.of(), List.of("a", "b"), List.of("a", "b")),
        new Case("nothing written", List.of("a", "b"), List.of("a", "b"), List.of()),
        new Case("two written, window slid", List.of("a", "b", "c"), List.of("c", "d", "e"),
            List.of("d", "e")),
        new Case("log still short", List.of("a"), List.of("a", "b"), List.of("b")),
        new Case("more than a window written", List.of("a", "b"), List.of("x", "y"),
            List.of("x", "y")),
        new Case("rotated to an empty file", List.of("a", "b"), List.of(), List.of()),
        new Case("repeated line: taken as the longest overlap", List.of("x", "x"),
            List.of("x", "x"), List.of()),
        new Case("repeat then new", List.of("a", "x"), List.of("x", "x"), List.of("x")));
    for (Case c : cases) {
      LogTail tail = new LogTail();
      tail.next(c.before());
      assertEquals(c.expectedNew(), tail.next(c.after()), c.name());
    }
  }

  @Test
  void aLastLineWithoutNewlineWaitsForTheNextPoll() {
    assertEquals(List.of("a", "b"), LogTail.completeLines("a\nb\n"));
    assertEquals(List.of("a"), LogTail.completeLines("a\nb"));
    assertEquals(List.of(), LogTail.completeLines("b"));
    assertEquals(List.of(), LogTail.completeLines(""));
  }
}

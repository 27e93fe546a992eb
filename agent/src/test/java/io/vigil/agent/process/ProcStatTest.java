package io.vigil.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.ProcessIdentity;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcStatTest {

  /** Fields 3.. of a real line (a sleeping shell), starttime (field 22) = 987654. */
  private static final String AFTER_COMM =
      "S 812 4242 4242 0 -1 4194560 120 0 0 0 1 2 0 0 20 0 1 0 987654 2768896 220 "
          + "18446744073709551615 1 1 0 0 0 0 0 0 65538 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0";

  @Test
  void parsesPlainLine() {
    // Given
    String line = "4242 (sh) " + AFTER_COMM;

    // When
    ProcStat stat = ProcStat.parse(line);

    // Then
    assertEquals(new ProcStat(4242, 'S', 812, 4242, 4242, 987654), stat);
    assertEquals(new ProcessIdentity(4242, 987654), stat.identity());
  }

  @Test
  void parsesCommWithSpacesAndParentheses() {
    // Given: a command may rename itself to anything, including ") (" and digits.
    String line = "4242 (evil) (Z 1 2 3) x) " + AFTER_COMM;

    // When
    ProcStat stat = ProcStat.parse(line);

    // Then
    assertEquals('S', stat.state());
    assertEquals(812, stat.ppid());
    assertEquals(987654, stat.startTicks());
  }

  @Test
  void recognisesZombies() {
    // Given
    ProcStat zombie = ProcStat.parse("77 (defunct) Z" + AFTER_COMM.substring(1));

    // Then
    assertTrue(zombie.zombie());
    assertFalse(zombie.isLive(new ProcessIdentity(77, 987654)));
  }

  @Test
  void isLiveOnlyForTheSameStartTime() {
    ProcStat stat = ProcStat.parse("4242 (sh) " + AFTER_COMM);

    assertTrue(stat.isLive(new ProcessIdentity(4242, 987654)));
    assertFalse(stat.isLive(new ProcessIdentity(4242, 987655)));
    assertFalse(stat.isLive(new ProcessIdentity(4243, 987654)));
  }

  @Test
  void theNewlineEndingTheLineIsNotPartOfTheLastField() {
    // Given: a line that ends right after field 22, as the kernel ends every line
    String line = "4242 (sh) " + AFTER_COMM.substring(0, AFTER_COMM.indexOf("987654") + 6) + "\n";

    // When
    ProcStat stat = ProcStat.parse(line);

    // Then
    assertEquals(987654, stat.startTicks());
  }

  @Test
  void rejectsMalformedLines() {
    assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("garbage"));
    assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("1 (sh) S 0 1"));
    assertThrows(IllegalArgumentException.class,
        () -> ProcStat.parse("x1 (sh) " + AFTER_COMM), "a pid that is not a number");
    assertThrows(IllegalArgumentException.class,
        () -> ProcStat.parse("1 (sh) " + AFTER_COMM.replace("812", "8x2")), "nor a ppid");
  }

  @Test
  void readsItsOwnProcess() {
    // Given: /proc is always there on Linux; reading it is not a process start.
    long self = ProcessHandle.current().pid();

    // When
    Optional<ProcessIdentity> identity = ProcStat.identityOf(self);

    // Then
    assertEquals(self, identity.orElseThrow().pid());
    assertTrue(identity.get().startTicks() > 0);
    assertEquals(Optional.empty(), ProcStat.identityOf(Integer.MAX_VALUE));
  }

  @Test
  void eachLineReadIsWholeThoughTheThreadReusesItsBuffer() {
    // Given two processes whose stat lines differ in length: the parent and this one
    long self = ProcessHandle.current().pid();
    long parent = ProcessHandle.current().parent().orElseThrow().pid();

    // When the same thread reads the longer and the shorter line, in both orders
    for (long[] order : new long[][] {{parent, self}, {self, parent}}) {
      for (long pid : order) {
        String line = ProcStat.readLine(pid).orElseThrow();

        // Then each line is its process's own, ending where the kernel ended it
        assertEquals(pid, ProcStat.parse(line).pid());
        assertTrue(line.endsWith("\n"), line);
        assertEquals(1, line.chars().filter(c -> c == '\n').count(), line);
      }
    }
  }

  @Test
  void askingForAFieldThatWasNotLocatedIsACallersBug() {
    // Given
    ProcStat.Fields toStartTime = ProcStat.Fields.of("4242 (sh) " + AFTER_COMM, 22);

    // Then
    assertEquals(987654, toStartTime.number(22));
    assertThrows(IllegalStateException.class, () -> toStartTime.number(24));
    assertThrows(IllegalStateException.class, () -> toStartTime.first(2));
    assertThrows(IllegalStateException.class,
        () -> ProcStat.parse(ProcStat.Fields.of("4242 (sh) " + AFTER_COMM, 5)));
  }
}

package io.vigil.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignalTest {

  @Test
  void parsesBareNamesPrefixedNamesAndLowerCase() {
    // Given / When / Then
    assertEquals(Optional.of(Signal.TERM), Signal.parse("TERM"));
    assertEquals(Optional.of(Signal.TERM), Signal.parse("SIGTERM"));
    assertEquals(Optional.of(Signal.HUP), Signal.parse(" sighup "));
    assertEquals(Optional.of(Signal.KILL), Signal.parse("kill"));
  }

  @Test
  void rejectsUnknownNames() {
    assertEquals(Optional.empty(), Signal.parse("SIGFOO"));
    assertEquals(Optional.empty(), Signal.parse(""));
    assertEquals(Optional.empty(), Signal.parse("SIG"));
  }

  @Test
  void mapsLinuxNumbers() {
    assertEquals(9, Signal.KILL.number());
    assertEquals(15, Signal.TERM.number());
    assertEquals(Optional.of(Signal.USR1), Signal.ofNumber(10));
    assertEquals(Optional.empty(), Signal.ofNumber(64));
  }

  @Test
  void describesExitStatuses() {
    assertEquals("exit code 3", ExitStatus.exited(3).describe());
    assertEquals("killed by SIGKILL", ExitStatus.killed(9).describe());
    assertEquals("killed by signal 7", ExitStatus.killed(7).describe());
    assertEquals("exit status unknown (adopted process)", ExitStatus.unknown().describe());
  }
}

package io.vigil.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class InheritedSignalsTest {
  @Test
  void readsTheStandardSignalsOfTheIgnoredMask() {
    // INT and QUIT ignored, and 32 and 33 (past the standard signals, never reset) set too
    assertEquals(List.of(2, 3),
        InheritedSignals.ignored(List.of("Name:\tjava", "SigIgn:\t0000000180000006")));
    assertEquals(List.of(1), InheritedSignals.ignored(List.of("SigIgn:\t0000000000000001")));
    assertEquals(List.of(1, 31), InheritedSignals.ignored(List.of("SigIgn:\t0000000040000001")));
  }

  @Test
  void nothingIgnoredIsNothingToReset() {
    assertEquals(List.of(), InheritedSignals.ignored(List.of("SigIgn:\t0000000000000000")));
  }

  @Test
  void aStatusWithoutTheMaskIsAnError() {
    assertThrows(IllegalArgumentException.class,
        () -> InheritedSignals.ignored(List.of("Name:\tjava")));
  }
}

package io.vigil.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.agent.ExitStatus;
import org.junit.jupiter.api.Test;

class JdkExitCodesTest {

  @Test
  void mapsExitValuesTable() {
    // Given: JDK exit value → status, per the documented (ambiguous) convention.
    Object[][] table = {
      {0, ExitStatus.exited(0)},
      {3, ExitStatus.exited(3)},
      {128, ExitStatus.exited(128)},
      {129, ExitStatus.killed(1)},
      {137, ExitStatus.killed(9)},
      {143, ExitStatus.killed(15)},
      {192, ExitStatus.killed(64)},
      {193, ExitStatus.exited(193)},
      {255, ExitStatus.exited(255)},
    };
    for (Object[] row : table) {
      // When / Then
      assertEquals(row[1], JdkExitCodes.toStatus((Integer) row[0]), "exit value " + row[0]);
    }
  }
}

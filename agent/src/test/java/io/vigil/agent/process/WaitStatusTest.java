package io.vigil.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.agent.ExitStatus;
import org.junit.jupiter.api.Test;

class WaitStatusTest {

  @Test
  void decodesWaitStatusesTable() {
    // Given: raw waitpid status → status, as WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG do.
    Object[][] table = {
      {0x0000, ExitStatus.exited(0)},
      {0x0300, ExitStatus.exited(3)},
      {137 << 8, ExitStatus.exited(137)}, // exit(137) is an exit, not SIGKILL
      {0xff00, ExitStatus.exited(255)},
      {0x0009, ExitStatus.killed(9)},
      {0x000f, ExitStatus.killed(15)},
      {0x008b, ExitStatus.killed(11)}, // SIGSEGV with the core-dump bit
      {0x0040, ExitStatus.killed(64)},
    };
    for (Object[] row : table) {
      // When / Then
      assertEquals(row[1], WaitStatus.toStatus((Integer) row[0]), "status 0x" + row[0]);
    }
  }

  @Test
  void rejectsAStoppedChild() {
    // Given: WIFSTOPPED by SIGSTOP (0x137f), which waitpid reports only with WUNTRACED.
    int stopped = (19 << 8) | 0x7f;

    // When / Then
    assertThrows(IllegalArgumentException.class, () -> WaitStatus.toStatus(stopped));
  }
}

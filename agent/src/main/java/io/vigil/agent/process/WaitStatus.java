package io.vigil.agent.process;

import io.vigil.agent.ExitStatus;

/**
 * Decodes the wait status that {@code waitpid(2)} stores, as the macros of {@code <sys/wait.h>}
 * do on Linux. Unlike {@link JdkExitCodes} this is exact: {@code exit(137)} and death by SIGKILL
 * are told apart. Pure.
 */
final class WaitStatus {

  /** The low 7 bits: 0 for a normal exit, else the terminating signal (0x7f: stopped). */
  private static final int SIGNAL_MASK = 0x7f;

  private static final int STOPPED = 0x7f;

  private WaitStatus() {}

  /**
   * The status of a terminated child: WIFEXITED gives WEXITSTATUS, WIFSIGNALED gives WTERMSIG
   * (the core-dump bit 0x80 is ignored).
   *
   * @throws IllegalArgumentException for a stopped-child status, which waitpid only reports with
   *     WUNTRACED, an option the agent never passes
   */
  static ExitStatus toStatus(int status) {
    int signal = status & SIGNAL_MASK;
    if (signal == 0) {
      return ExitStatus.exited((status >> 8) & 0xff);
    }
    if (signal == STOPPED) {
      throw new IllegalArgumentException("not a terminated child: wait status 0x"
          + Integer.toHexString(status));
    }
    return ExitStatus.killed(signal);
  }
}

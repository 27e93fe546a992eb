package io.vigil.agent.process;

import io.vigil.agent.ExitStatus;

/**
 * Turns the exit value the JDK reports for one of its children into an {@link ExitStatus}. Used
 * only for exec probes, which are the only processes the agent still starts as JDK children;
 * instances are collected with their real wait status ({@link WaitStatus}, see {@link
 * ChildReaper}).
 *
 * <p>The JDK's reaper thread owns {@code waitpid} for its children and folds the wait status into
 * one int: a normal exit gives the code (0..255), a death by signal gives {@code 128 + signal}
 * (JDK {@code ProcessHandleImpl_unix.c}, "what all Unix shells do"). The real wait status is gone
 * by the time Java sees it, and Vigil must not reap a JDK child itself (that would make the JDK's
 * {@code waitpid} fail with ECHILD). So this mapping is ambiguous by nature: values 129..192
 * (128 + signals 1..64) are reported as {@link ExitStatus#killed}, even when the process really
 * called {@code exit(137)}. That errs the same way a shell does, and a probe is usually a shell
 * whose killed child also makes it exit with 128 + signal, so "killed" is the more useful answer.
 */
final class JdkExitCodes {

  private static final int SIGNAL_BASE = 128;

  /** Linux has signals 1..64 (SIGRTMAX). */
  private static final int MAX_SIGNAL = 64;

  private JdkExitCodes() {}

  static ExitStatus toStatus(int exitValue) {
    int signal = exitValue - SIGNAL_BASE;
    if (signal >= 1 && signal <= MAX_SIGNAL) {
      return ExitStatus.killed(signal);
    }
    return ExitStatus.exited(exitValue);
  }
}

package io.vigil.agent;

import java.util.concurrent.CompletableFuture;

/**
 * A live process launched or adopted by the agent. Its process group id equals its pid.
 *
 * <p>{@link #onExit()} completes once, on an agent thread, when the process ends; the exit is
 * detected by an event (a pidfd; the JDK's process handle before Linux 5.3), not by polling. Its
 * status is the real wait status when the process is Vigil's child (every launched one), and
 * unknown for an adopted process that is not.
 */
public interface RunningProcess {
  ProcessIdentity identity();

  CompletableFuture<ExitStatus> onExit();

  /** True when this process was adopted from an earlier Vigil run rather than launched. */
  boolean adopted();
}

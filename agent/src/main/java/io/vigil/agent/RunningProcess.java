package io.vigil.agent;

import java.util.concurrent.CompletableFuture;

/**
 * A live process launched or adopted by the agent. Its process group id equals its pid.
 *
 * <p>{@link #onExit()} completes once, on an agent thread, when the process ends; the exit is
 * detected by an event (the JDK reaper for children, a pidfd for adopted processes), not by
 * polling.
 */
public interface RunningProcess {
  ProcessIdentity identity();

  CompletableFuture<ExitStatus> onExit();

  /** True when this process was adopted from an earlier Vigil run rather than launched. */
  boolean adopted();
}

package io.vigil.agent;

/**
 * A process as it can be recognised again after Vigil restarts: the pid alone can be reused by
 * the kernel, the pid together with its start time (clock ticks since boot, field 22 of
 * /proc/PID/stat) cannot.
 */
public record ProcessIdentity(long pid, long startTicks) {
  public ProcessIdentity {
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be > 0, was " + pid);
    }
  }
}

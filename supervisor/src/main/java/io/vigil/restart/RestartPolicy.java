package io.vigil.restart;

/** When an exited instance is restarted, as systemd's {@code Restart=}. */
public enum RestartPolicy {
  /** Restart whatever the exit status. */
  ALWAYS,
  /** Restart unless the process exited with code 0. */
  ON_FAILURE,
  /** Never restart. */
  NEVER
}

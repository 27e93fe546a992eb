package io.vigil.control;

/** Why Vigil itself is stopping an instance: decides what happens once it has exited. */
enum StopIntent {
  /** Liveness/startup failure or memory limit: ask the restart policy. */
  UNHEALTHY,
  /** An operator restart: start again at once with a clean restart history. */
  RESTART,
  /** An operator stop: stay down. */
  STOP,
  /** Vigil is shutting down, or the service left the configuration: stay down. */
  SHUTDOWN
}

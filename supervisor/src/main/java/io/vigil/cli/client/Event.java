package io.vigil.cli.client;

/**
 * One event from the event log ({@code GET /v1/events}, {@code /v1/events/stream}): a state
 * transition ({@code kind} "transition") or a load balancer rotation change ("rotation"). {@code
 * time} and {@code until} are ISO-8601 UTC; {@code kind}, {@code instance}, {@code pid}, {@code
 * exitCode}, {@code signal} and {@code until} may be null.
 */
record Event(String time, String kind, String service, Integer instance, String from,
    String to, String reason, Long pid, Integer exitCode, String signal, String until) {
  static final String TRANSITION = "transition";
  static final String ROTATION = "rotation";

  boolean rotation() {
    return ROTATION.equals(kind);
  }
}

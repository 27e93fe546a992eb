package io.vigil.cli.client;

/**
 * One state transition from the event log ({@code GET /v1/events}, {@code /v1/events/stream}).
 * {@code time} is ISO-8601 UTC; {@code instance}, {@code pid}, {@code exitCode} and {@code signal}
 * may be null.
 */
record Event(String time, String service, Integer instance, String from, String to,
    String reason, Long pid, Integer exitCode, String signal) {}

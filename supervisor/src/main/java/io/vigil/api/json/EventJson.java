package io.vigil.api.json;

/**
 * One state transition of an instance. {@code time} is ISO-8601 UTC with milliseconds; {@code
 * pid}, {@code exitCode} and {@code signal} are null when they do not apply.
 */
public record EventJson(
    String time,
    String service,
    int instance,
    String from,
    String to,
    String reason,
    Long pid,
    Integer exitCode,
    Integer signal) {}

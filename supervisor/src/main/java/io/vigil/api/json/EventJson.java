package io.vigil.api.json;

/**
 * One event of an instance. {@code kind} is {@code transition} (its state changed; {@code
 * from}/{@code to} are instance states) or {@code rotation} (the load balancer ejected it,
 * returned it, or was kept from ejecting it; {@code from}/{@code to} are {@code IN_ROTATION} or
 * {@code EJECTED}). {@code time} and {@code until} are ISO-8601 UTC with milliseconds; {@code
 * pid}, {@code exitCode}, {@code signal} and {@code until} are null when they do not apply.
 */
public record EventJson(
    String time,
    String kind,
    String service,
    int instance,
    String from,
    String to,
    String reason,
    Long pid,
    Integer exitCode,
    Integer signal,
    String until) {}

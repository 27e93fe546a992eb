package io.vigil.api.json;

/**
 * One instance as its service's load balancer sees it. {@code status}: {@code IN_ROTATION},
 * {@code SLOW_START}, {@code EJECTED} (until {@code ejectedUntil}), {@code DRAINING} (out of the
 * ready list, requests still in flight) or {@code NOT_READY} (out of the ready list, nothing in
 * flight). {@code weight} is the slow-start weight (0.1 to 1; 0 out of rotation); {@code
 * timesEjected} counts ejections in a row, after decay.
 */
public record LbStateJson(
    String status,
    boolean inRotation,
    String ejectedUntil,
    double weight,
    int inFlight,
    int timesEjected,
    int consecutive5xx,
    int consecutiveGatewayErrors,
    int consecutiveLocalFailures) {}

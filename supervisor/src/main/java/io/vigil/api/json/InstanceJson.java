package io.vigil.api.json;

import java.util.Map;

/**
 * One instance. {@code pid}, {@code port}, {@code startedAt}, {@code uptimeSeconds}, {@code
 * lastExit}, {@code cpuSeconds} and {@code residentBytes} are null when they do not apply (no
 * process, no port, never exited, not sampled yet); {@code probes} lists only the probes that have
 * a result, keyed {@code startup}, {@code liveness}, {@code readiness}; {@code loadBalancer} is
 * null for a service without one.
 */
public record InstanceJson(
    String service,
    int id,
    String state,
    boolean ready,
    Long pid,
    Integer port,
    String startedAt,
    Double uptimeSeconds,
    int restarts,
    LastExitJson lastExit,
    Map<String, ProbeResultJson> probes,
    Double cpuSeconds,
    Long residentBytes,
    LbStateJson loadBalancer) {}

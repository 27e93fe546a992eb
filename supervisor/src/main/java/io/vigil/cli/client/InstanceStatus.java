package io.vigil.cli.client;

import java.util.Map;

/**
 * One instance as the API shows it. {@code pid}, {@code port}, {@code startedAt}, {@code
 * uptimeSeconds}, {@code lastExit}, {@code cpuSeconds} and {@code residentBytes} may be null.
 */
record InstanceStatus(String service, int id, String state, boolean ready, Long pid,
    Integer port, String startedAt, Double uptimeSeconds, int restarts, LastExit lastExit,
    Map<String, ProbeResult> probes, Double cpuSeconds, Long residentBytes) {

  InstanceStatus {
    probes = probes == null ? Map.of() : probes;
  }

  /** How the instance last ended; {@code description} reads like "exit code 3". */
  record LastExit(Integer code, String signal, String description) {
    String text() {
      if (description != null && !description.isBlank()) {
        return description;
      }
      return signal != null ? "killed by " + signal : "exit code " + code;
    }
  }

  /** The latest outcome of one probe (liveness, readiness, startup); null until it ran. */
  record ProbeResult(Boolean success, String detail) {}
}

package io.vigil.cli.client;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * One instance as the API shows it. {@code pid}, {@code port}, {@code startedAt}, {@code
 * uptimeSeconds}, {@code lastExit}, {@code cpuSeconds} and {@code residentBytes} may be null;
 * {@code loadBalancer} is null for a service without a load balancer.
 */
record InstanceStatus(String service, int id, String state, boolean ready, Long pid,
    Integer port, String startedAt, Double uptimeSeconds, int restarts, LastExit lastExit,
    Map<String, ProbeResult> probes, Double cpuSeconds, Long residentBytes,
    LoadBalancer loadBalancer) {

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

  /**
   * How the service's load balancer sees the instance ({@code docs/api.md}). {@code status} is
   * IN_ROTATION, SLOW_START, EJECTED, DRAINING or NOT_READY; {@code ejectedUntil} (ISO-8601 UTC)
   * is null unless EJECTED. The detector's counts are not read.
   */
  record LoadBalancer(String status, String ejectedUntil, double weight, int inFlight,
      int timesEjected) {
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss");

    /**
     * Short text, times in {@code zone}: "in rotation", "slow start 40%", "ejected until
     * 03:00:30 (x1)", "draining (3 in flight)", "not ready". A status this client does not know
     * reads as its name in lower case.
     */
    String text(ZoneId zone) {
      String name = String.valueOf(status).toLowerCase(Locale.ROOT).replace('_', ' ');
      return switch (String.valueOf(status)) {
        // Rounded as the status page rounds it, so both show the same number.
        case "SLOW_START" -> name + " " + Math.round(weight * 100) + "%";
        case "EJECTED" -> name + (ejectedUntil == null ? "" : " until " + until(zone))
            + " (x" + timesEjected + ")";
        case "DRAINING" -> name + " (" + inFlight + " in flight)";
        default -> name;
      };
    }

    /**
     * The time of day only, to keep the column short: ejections last minutes (at most
     * max-ejection-time, 300 s by default). A time the client cannot parse is shown as it came.
     */
    private String until(ZoneId zone) {
      try {
        return TIME_OF_DAY.withZone(zone).format(Instant.parse(ejectedUntil));
      } catch (DateTimeParseException e) {
        return ejectedUntil;
      }
    }
  }

  /** The latest outcome of one probe (liveness, readiness, startup); null until it ran. */
  record ProbeResult(Boolean success, String detail) {}
}

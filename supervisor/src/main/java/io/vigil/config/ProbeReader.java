package io.vigil.config;

import com.typesafe.config.ConfigObject;
import io.vigil.probe.CheckSpec;
import io.vigil.probe.ProbeKind;
import io.vigil.probe.ProbeSpec;
import io.vigil.probe.ProbesSpec;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads {@code probes { startup, liveness, readiness }}; each probe is merged with {@code
 * vigil.defaults.probe} first. Enforces the kubelet's rules: timeout shorter than period, and a
 * success threshold of 1 for liveness and startup probes.
 */
final class ProbeReader {
  private final ConfigObject template;
  private final CheckReader checks;

  ProbeReader(ConfigObject template, PortClaims claims) {
    this.template = template;
    this.checks = new CheckReader(claims);
  }

  /** The probes that are set; a probe with problems is left out (and reported). */
  ProbesSpec read(String service, Section probes, boolean servicePort) {
    return new ProbesSpec(read(ProbeKind.STARTUP, service, probes, servicePort),
        read(ProbeKind.LIVENESS, service, probes, servicePort),
        read(ProbeKind.READINESS, service, probes, servicePort));
  }

  private Optional<ProbeSpec> read(
      ProbeKind kind, String service, Section probes, boolean servicePort) {
    if (!probes.has(kind.key())) {
      return Optional.empty();
    }
    return probes.child(kind.key())
        .flatMap(probe -> readOne(kind, service, probe.withFallback(template), servicePort));
  }

  private Optional<ProbeSpec> readOne(
      ProbeKind kind, String service, Section probe, boolean servicePort) {
    int mark = probe.mark();
    CheckSpec check = checks.read(service, probe, servicePort);
    Duration initialDelay = probe.required("initial-delay", Readings.NON_NEGATIVE_DURATION);
    Duration period = probe.required("period", Readings.POSITIVE_DURATION);
    Duration timeout = probe.required("timeout", Readings.POSITIVE_DURATION);
    Integer successThreshold = probe.required("success-threshold", Readings.atLeast(1));
    Integer failureThreshold = probe.required("failure-threshold", Readings.atLeast(1));
    checkTimeout(probe, timeout, period);
    checkSuccessThreshold(kind, probe, successThreshold);
    if (!probe.cleanSince(mark)) {
      return Optional.empty();
    }
    return Optional.of(new ProbeSpec(
        check, initialDelay, period, timeout, successThreshold, failureThreshold));
  }

  /** A check still running when the next is due would overlap it; the kubelet has the same rule. */
  private static void checkTimeout(Section probe, Duration timeout, Duration period) {
    if (timeout != null && period != null && timeout.compareTo(period) >= 0) {
      // Point at a line the user wrote: a line of reference.conf would mean nothing to them.
      String blamed = probe.isDefault("timeout") ? "period" : "timeout";
      probe.report(blamed, "timeout (" + probe.shown("timeout")
          + ") must be shorter than period (" + probe.shown("period") + ")");
    }
  }

  /**
   * One success ends a failure streak for liveness, and a startup probe is done after its first
   * success, so more would mean nothing; Kubernetes rejects it too.
   */
  private static void checkSuccessThreshold(ProbeKind kind, Section probe, Integer threshold) {
    if (threshold != null && threshold != 1 && kind != ProbeKind.READINESS) {
      probe.report("success-threshold", "must be 1 for " + kind.key() + " probes, as in "
          + "Kubernetes" + Readings.got(probe.object().get("success-threshold")));
    }
  }
}

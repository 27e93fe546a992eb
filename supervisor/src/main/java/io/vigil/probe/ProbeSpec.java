package io.vigil.probe;

import java.time.Duration;

/**
 * One probe's settings, with the kubelet's meaning: wait {@code initialDelay} after start, then
 * check every {@code period}, each check bounded by {@code timeout}; {@code successThreshold}
 * successes in a row make it pass, {@code failureThreshold} failures in a row make it fail.
 * Validated by {@code io.vigil.config}; the constructor only asserts invariants.
 */
public record ProbeSpec(
    CheckSpec check,
    Duration initialDelay,
    Duration period,
    Duration timeout,
    int successThreshold,
    int failureThreshold) {

  public ProbeSpec {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be > 0");
    }
    if (timeout.compareTo(period) >= 0 || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be > 0 and < period");
    }
    if (initialDelay.isNegative()) {
      throw new IllegalArgumentException("initialDelay must be >= 0");
    }
    if (successThreshold < 1 || failureThreshold < 1) {
      throw new IllegalArgumentException("thresholds must be >= 1");
    }
  }
}

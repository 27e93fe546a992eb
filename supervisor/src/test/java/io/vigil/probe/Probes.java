package io.vigil.probe;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** Test fixtures: probe settings in milliseconds. */
final class Probes {
  private Probes() {}

  static final CheckSpec TCP = new CheckSpec.Tcp(OptionalInt.empty());

  static ProbeSpec spec(long initialDelayMs, long periodMs, int successThreshold,
      int failureThreshold) {
    return new ProbeSpec(TCP, Duration.ofMillis(initialDelayMs), Duration.ofMillis(periodMs),
        Duration.ofMillis(Math.max(1, periodMs / 2)), successThreshold, failureThreshold);
  }

  static ProbesSpec probes(ProbeSpec startup, ProbeSpec liveness, ProbeSpec readiness) {
    return new ProbesSpec(
        Optional.ofNullable(startup),
        Optional.ofNullable(liveness),
        Optional.ofNullable(readiness));
  }

  static long ms(long millis) {
    return Duration.ofMillis(millis).toNanos();
  }

  static CheckOutcome ok() {
    return CheckOutcome.success("HTTP 200");
  }

  static CheckOutcome fail() {
    return CheckOutcome.failure("HTTP 500");
  }
}

package io.vigil.restart;

import java.time.Duration;

/**
 * Restart delays: the first restart is immediate, then {@code initial}, growing by {@code
 * multiplier} up to {@code max}; each delay is spread by ±{@code jitter} (a fraction, 0..1).
 */
public record BackoffSpec(Duration initial, Duration max, double multiplier, double jitter) {
  public BackoffSpec {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max");
    }
    if (multiplier < 1.0 || jitter < 0.0 || jitter > 1.0) {
      throw new IllegalArgumentException("need multiplier >= 1 and 0 <= jitter <= 1");
    }
  }
}

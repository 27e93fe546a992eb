package io.vigil.lb;

import io.vigil.time.Nanos;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The wait before a retry: Envoy's full jitter. Retry n (from 1) waits a uniformly random time in
 * [0, min(max, (2^n - 1) x base)): with 25 ms and 250 ms, 0-25 ms, 0-75 ms, 0-175 ms, then 0-250
 * ms. Full jitter spreads retries of requests that failed together (AWS architecture blog,
 * "Exponential Backoff And Jitter"). Not thread-safe: the random generator is not.
 */
public final class Backoff {
  private final long baseNanos;
  private final long maxNanos;
  private final RandomGenerator random;

  public Backoff(Duration base, Duration max, RandomGenerator random) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= max: " + base + ", " + max);
    }
    this.baseNanos = Nanos.of(base);
    this.maxNanos = Nanos.of(max);
    this.random = random;
  }

  /** The wait before retry {@code retry} (1 = the first retry), in nanoseconds. */
  public long delayNanos(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retries count from 1: " + retry);
    }
    return (long) (random.nextDouble() * ceilingNanos(retry));
  }

  /** The upper end of retry {@code retry}'s range: min(max, (2^n - 1) x base). */
  long ceilingNanos(int retry) {
    // 2^62 x base overflows long for any base: past 62 the cap has long been reached.
    long factor = retry >= 62 ? Long.MAX_VALUE : (1L << retry) - 1;
    return factor > maxNanos / baseNanos ? maxNanos : Math.min(maxNanos, factor * baseNanos);
  }
}

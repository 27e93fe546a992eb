package io.vigil.restart;

import io.vigil.time.Nanos;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Restart delays by restart number: the first restart after a crash (number 0) is immediate, then
 * {@code initial}, {@code initial × multiplier}, … capped at {@code max}.
 *
 * <p>Jitter spreads each non-zero delay uniformly over {@code delay × (1 ± jitter)}, so instances
 * that crashed together (a shared dependency went down) do not all restart in the same instant.
 * A jittered delay is never negative and never above {@code max × (1 + jitter)}.
 *
 * <pre>{@code
 * // initial 1s, max 60s, multiplier 2, jitter 0
 * delayNanos(0) = 0;  delayNanos(1) = 1s;  delayNanos(2) = 2s;  delayNanos(3) = 4s; ...  60s
 * }</pre>
 *
 * <p>Not thread-safe if the random generator is not.
 */
public final class Backoff {
  private final BackoffSpec spec;
  private final RandomGenerator random;
  private final double initialNanos;
  private final double maxNanos;

  public Backoff(BackoffSpec spec, RandomGenerator random) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.random = Objects.requireNonNull(random, "random");
    this.initialNanos = Nanos.of(spec.initial());
    this.maxNanos = Nanos.of(spec.max());
  }

  /** The delay before restart {@code restartNumber} (0-based since the last reset), jittered. */
  public long delayNanos(int restartNumber) {
    if (restartNumber < 0) {
      throw new IllegalArgumentException("restartNumber must be >= 0, was " + restartNumber);
    }
    if (restartNumber == 0) {
      return 0;
    }
    return jitter(baseNanos(restartNumber));
  }

  /** The un-jittered delay: {@code min(max, initial × multiplier^(n-1))}; 0 for n = 0. */
  public long baseDelayNanos(int restartNumber) {
    return restartNumber == 0 ? 0 : Math.round(baseNanos(restartNumber));
  }

  private double baseNanos(int restartNumber) {
    // pow may reach Infinity for large n; min() then picks max, so no overflow.
    return Math.min(maxNanos, initialNanos * Math.pow(spec.multiplier(), restartNumber - 1));
  }

  private long jitter(double delay) {
    if (spec.jitter() == 0.0 || delay == 0.0) {
      return Math.round(delay);
    }
    double spread = delay * spec.jitter() * random.nextDouble(-1.0, 1.0);
    // Math.round of a double past Long.MAX_VALUE saturates, so a "forever" max stays valid.
    return Math.max(0, Math.round(delay + spread));
  }
}

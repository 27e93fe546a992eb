package io.vigil.time;

import java.time.Duration;

/** Durations as nanoseconds on a {@link Ticker}'s scale. Stateless. */
public final class Nanos {
  private Nanos() {}

  /**
   * {@link Duration#toNanos()} that saturates instead of throwing: durations beyond about 292
   * years (a config's "forever") become Long.MAX_VALUE (or MIN_VALUE).
   */
  public static long of(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** {@code time + nanos}, saturating at Long.MAX_VALUE / MIN_VALUE instead of wrapping. */
  public static long plus(long time, long nanos) {
    long sum = time + nanos;
    // Overflow iff both operands have the sign opposite to the result's (Hacker's Delight 2-13).
    if (((time ^ sum) & (nanos ^ sum)) < 0) {
      return nanos > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return sum;
  }
}

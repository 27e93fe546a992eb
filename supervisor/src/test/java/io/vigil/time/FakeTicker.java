package io.vigil.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when a test says so. Starts at 0 unless given a start (pick a
 * large one to prove code does not assume time starts at 0). Thread-safe, so a test may read it
 * from another thread, but it never moves by itself.
 */
public final class FakeTicker implements Ticker {
  private final AtomicLong nanos;

  public FakeTicker() {
    this(0);
  }

  public FakeTicker(long startNanos) {
    this.nanos = new AtomicLong(startNanos);
  }

  @Override
  public long nanos() {
    return nanos.get();
  }

  /** Moves time forward; returns this for chaining. */
  public FakeTicker advance(Duration by) {
    return advanceNanos(by.toNanos());
  }

  /** Moves time forward by {@code by} nanoseconds (>= 0: a monotonic clock never goes back). */
  public FakeTicker advanceNanos(long by) {
    if (by < 0) {
      throw new IllegalArgumentException("a monotonic ticker cannot go back: " + by);
    }
    nanos.addAndGet(by);
    return this;
  }
}

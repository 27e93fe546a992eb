package io.vigil.time;

/**
 * A monotonic clock in nanoseconds. Policies never read time themselves: they are handed {@code
 * now} from a ticker, so tests can move time by hand.
 */
@FunctionalInterface
public interface Ticker {
  long nanos();

  Ticker SYSTEM = System::nanoTime;
}

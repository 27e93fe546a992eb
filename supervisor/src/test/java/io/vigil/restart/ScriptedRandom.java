package io.vigil.restart;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * A RandomGenerator whose {@code nextDouble()} returns scripted fractions in [0, 1), so a test
 * picks where in the jitter range a delay lands: 0 is the low end, 0.5 the middle, just under 1
 * the high end.
 */
final class ScriptedRandom implements RandomGenerator {
  private final Deque<Double> fractions = new ArrayDeque<>();
  private int calls;

  ScriptedRandom(double... fractions) {
    for (double f : fractions) {
      this.fractions.add(f);
    }
  }

  @Override
  public double nextDouble() {
    calls++;
    if (fractions.isEmpty()) {
      throw new IllegalStateException("test script ran out of random numbers");
    }
    return fractions.removeFirst();
  }

  @Override
  public long nextLong() {
    throw new UnsupportedOperationException("Backoff should only need nextDouble");
  }

  int calls() {
    return calls;
  }
}

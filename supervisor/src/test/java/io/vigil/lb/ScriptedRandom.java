package io.vigil.lb;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * A RandomGenerator that returns what the test scripted: {@code nextInt(bound)} from one queue,
 * {@code nextDouble()} from another. Running out is a test bug and throws.
 */
final class ScriptedRandom implements RandomGenerator {
  private final Deque<Integer> ints = new ArrayDeque<>();
  private final Deque<Double> doubles = new ArrayDeque<>();

  ScriptedRandom withInts(int... values) {
    for (int v : values) {
      ints.add(v);
    }
    return this;
  }

  ScriptedRandom withDoubles(double... values) {
    for (double v : values) {
      doubles.add(v);
    }
    return this;
  }

  @Override
  public int nextInt(int bound) {
    int v = next(ints, "nextInt");
    if (v < 0 || v >= bound) {
      throw new IllegalStateException("scripted " + v + " is outside [0, " + bound + ")");
    }
    return v;
  }

  @Override
  public double nextDouble() {
    return next(doubles, "nextDouble");
  }

  @Override
  public long nextLong() {
    throw new UnsupportedOperationException("only nextInt(bound) and nextDouble are scripted");
  }

  private static <T> T next(Deque<T> queue, String what) {
    if (queue.isEmpty()) {
      throw new IllegalStateException("test script ran out of " + what);
    }
    return queue.removeFirst();
  }
}

package io.vigil.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final long MS = 1_000_000;

  @Test
  void fullJitterRangesGrowAsEnvoysAndStopAtMax() {
    // Given Envoy's defaults, 25 ms base and 250 ms max
    record Row(int retry, double random, long expectedNanos) {}
    List<Row> table = List.of(
        new Row(1, 0.0, 0),             // [0, 25ms)
        new Row(1, 0.5, 12_500_000),
        new Row(2, 0.5, 37_500_000),    // [0, 75ms)
        new Row(3, 0.5, 87_500_000),    // [0, 175ms)
        new Row(4, 0.5, 125 * MS),      // 375ms capped at 250ms
        new Row(4, 0.999, 249_750_000),
        new Row(40, 0.5, 125 * MS),
        new Row(63, 0.5, 125 * MS),     // no overflow at 2^63
        new Row(Integer.MAX_VALUE, 0.5, 125 * MS));
    for (Row row : table) {
      Backoff backoff = new Backoff(Duration.ofMillis(25), Duration.ofMillis(250),
          new ScriptedRandom().withDoubles(row.random()));

      // When the delay of the row's retry is drawn / Then it is the fraction of the ceiling
      assertEquals(row.expectedNanos(), backoff.delayNanos(row.retry()), row.toString());
    }
  }

  @Test
  void ceilingIsMinOfMaxAndTwoToTheNMinusOneTimesBase() {
    // Given a 10 ms base and 1 s max
    Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), new ScriptedRandom());

    // Then the ceilings are 10, 30, 70, ... 630, then 1000 ms
    long[] expected = {10, 30, 70, 150, 310, 630, 1000, 1000};
    for (int n = 1; n <= expected.length; n++) {
      assertEquals(expected[n - 1] * MS, backoff.ceilingNanos(n), "retry " + n);
    }
  }

  @Test
  void rejectsNonsense() {
    ScriptedRandom random = new ScriptedRandom();
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ZERO, Duration.ofMillis(1), random));
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofMillis(2), Duration.ofMillis(1), random));
    Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), random);
    assertThrows(IllegalArgumentException.class, () -> backoff.delayNanos(0));
  }
}

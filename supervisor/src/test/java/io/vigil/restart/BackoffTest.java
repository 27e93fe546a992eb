package io.vigil.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

  static BackoffSpec spec(long initialMs, long maxMs, double multiplier, double jitter) {
    return new BackoffSpec(Duration.ofMillis(initialMs), Duration.ofMillis(maxMs), multiplier,
        jitter);
  }

  static long ms(long millis) {
    return Duration.ofMillis(millis).toNanos();
  }

  @Test
  void doublingSequenceCappedAtMax() {
    Backoff backoff = new Backoff(spec(1000, 60_000, 2.0, 0.0), new ScriptedRandom());
    long[][] table = { // restart number -> delay in ms
        {0, 0}, {1, 1000}, {2, 2000}, {3, 4000}, {4, 8000}, {5, 16_000}, {6, 32_000},
        {7, 60_000}, {8, 60_000}, {100, 60_000}, {Integer.MAX_VALUE, 60_000}};
    for (long[] row : table) {
      assertEquals(ms(row[1]), backoff.delayNanos((int) row[0]), "restart " + row[0]);
      assertEquals(ms(row[1]), backoff.baseDelayNanos((int) row[0]), "restart " + row[0]);
    }
  }

  @Test
  void fractionalMultiplier() {
    // PM2's exp_backoff_restart_delay shape: 100ms, x1.5, cap 15s
    Backoff backoff = new Backoff(spec(100, 15_000, 1.5, 0.0), new ScriptedRandom());
    long[] expectedMs = {0, 100, 150, 225, 337, 506, 759, 1139};
    for (int n = 0; n < expectedMs.length; n++) {
      assertEquals(ms(expectedMs[n]), backoff.delayNanos(n), 1_000_000, "restart " + n);
    }
  }

  @Test
  void multiplierOneIsAConstantDelay() {
    Backoff backoff = new Backoff(spec(100, 100, 1.0, 0.0), new ScriptedRandom());
    assertEquals(0, backoff.delayNanos(0));
    for (int n = 1; n < 50; n++) {
      assertEquals(ms(100), backoff.delayNanos(n));
    }
  }

  @Test
  void zeroInitialMeansAlwaysImmediate() {
    Backoff backoff = new Backoff(spec(0, 0, 2.0, 0.5), new ScriptedRandom());
    for (int n = 0; n < 10; n++) {
      assertEquals(0, backoff.delayNanos(n));
    }
  }

  @Test
  void jitterLandsWhereTheRandomNumberSays() {
    // Given: 20% jitter on a 10s delay
    ScriptedRandom random = new ScriptedRandom(0.0, 0.5, 0.75, Math.nextDown(1.0));
    Backoff backoff = new Backoff(spec(10_000, 10_000, 2.0, 0.2), random);
    // Then: the first restart is immediate and draws no random number
    assertEquals(0, backoff.delayNanos(0));
    assertEquals(0, random.calls());
    assertEquals(ms(8_000), backoff.delayNanos(1));   // low end: x0.8
    assertEquals(ms(10_000), backoff.delayNanos(1));  // middle
    assertEquals(ms(11_000), backoff.delayNanos(1));  // x1.1
    assertEquals(ms(12_000), backoff.delayNanos(1), 1_000); // just below the high end: x1.2
  }

  @Test
  void fullJitterIsNeverNegative() {
    Backoff backoff = new Backoff(spec(1000, 1000, 2.0, 1.0), new ScriptedRandom(0.0));
    assertEquals(0, backoff.delayNanos(1));
  }

  @Test
  void jitteredDelaysStayWithinBoundsForASeededRandom() {
    // Given
    double jitter = 0.3;
    BackoffSpec spec = spec(250, 30_000, 2.0, jitter);
    Backoff jittered = new Backoff(spec, new SplittableRandom(42));
    Backoff plain = new Backoff(spec(250, 30_000, 2.0, 0.0), new ScriptedRandom());
    long max = ms(30_000);
    // When / Then
    for (int n = 1; n <= 40; n++) {
      long base = plain.delayNanos(n);
      for (int sample = 0; sample < 200; sample++) {
        long d = jittered.delayNanos(n);
        assertTrue(d >= 0, "negative delay " + d);
        assertTrue(d <= Math.round(max * (1 + jitter)), "above max x (1+jitter): " + d);
        assertTrue(Math.abs(d - base) <= Math.round(base * jitter) + 1,
            "restart " + n + ": " + d + " not within ±" + jitter + " of " + base);
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameSequence() {
    BackoffSpec spec = spec(1000, 60_000, 2.0, 0.5);
    Backoff a = new Backoff(spec, new SplittableRandom(7));
    Backoff b = new Backoff(spec, new SplittableRandom(7));
    for (int n = 0; n < 20; n++) {
      assertEquals(a.delayNanos(n), b.delayNanos(n));
    }
  }

  @Test
  void aHugeMaxSaturatesInsteadOfOverflowing() {
    Backoff backoff = new Backoff(
        new BackoffSpec(Duration.ofSeconds(1), Duration.ofDays(365L * 1000), 10.0, 0.5),
        new ScriptedRandom(Math.nextDown(1.0)));
    assertEquals(Long.MAX_VALUE, backoff.delayNanos(1000));
  }

  @Test
  void negativeRestartNumberIsABug() {
    Backoff backoff = new Backoff(spec(1000, 1000, 2.0, 0.0), new ScriptedRandom());
    assertThrows(IllegalArgumentException.class, () -> backoff.delayNanos(-1));
  }
}

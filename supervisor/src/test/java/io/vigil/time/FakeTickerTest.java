package io.vigil.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeTickerTest {

  @Test
  void movesOnlyWhenAdvanced() {
    // Given
    FakeTicker ticker = new FakeTicker(1_000);
    // When / Then
    assertEquals(1_000, ticker.nanos());
    assertEquals(1_000, ticker.nanos());
    ticker.advance(Duration.ofMillis(2)).advanceNanos(5);
    assertEquals(1_000 + 2_000_000 + 5, ticker.nanos());
  }

  @Test
  void startsAtZeroByDefault() {
    assertEquals(0, new FakeTicker().nanos());
  }

  @Test
  void neverGoesBack() {
    FakeTicker ticker = new FakeTicker();
    assertThrows(IllegalArgumentException.class, () -> ticker.advanceNanos(-1));
    assertThrows(IllegalArgumentException.class, () -> ticker.advance(Duration.ofSeconds(-1)));
    assertEquals(0, ticker.nanos());
  }
}

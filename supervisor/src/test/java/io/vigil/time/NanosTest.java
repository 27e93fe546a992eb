package io.vigil.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NanosTest {

  @Test
  void convertsAndSaturates() {
    assertEquals(1_500_000_000L, Nanos.of(Duration.ofMillis(1500)));
    assertEquals(Long.MAX_VALUE, Nanos.of(Duration.ofDays(365L * 1000)));
    assertEquals(Long.MIN_VALUE, Nanos.of(Duration.ofDays(-365L * 1000)));
  }

  @Test
  void addsAndSaturates() {
    assertEquals(7, Nanos.plus(3, 4));
    assertEquals(-1, Nanos.plus(3, -4));
    assertEquals(Long.MAX_VALUE, Nanos.plus(Long.MAX_VALUE - 1, 5));
    assertEquals(Long.MAX_VALUE, Nanos.plus(1, Long.MAX_VALUE));
    assertEquals(Long.MIN_VALUE, Nanos.plus(Long.MIN_VALUE + 1, -5));
  }
}

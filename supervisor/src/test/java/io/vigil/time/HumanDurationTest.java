package io.vigil.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "PT0S,        0s",
    "PT0.0000001S, <1ms",
    "PT0.25S,     250ms",
    "PT0.9996S,   1s",
    "PT1S,        1s",
    "PT1.2S,      1.2s",
    "PT1.24S,     1.2s",
    "PT10S,       10s",
    "PT59.5S,     59.5s",
    "PT59.96S,    1m",
    "PT1M,        1m",
    "PT2M30S,     2m30s",
    "PT5M,        5m",
    "PT1H,        1h",
    "PT1H5M,      1h5m",
    "PT26H,       26h",
    "-PT1.5S,     -1.5s",
  })
  void formats(Duration duration, String expected) {
    assertEquals(expected, HumanDuration.format(duration));
  }
}

package io.vigil.probe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vigil.probe.CheckOutcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The outcome of an HTTP status, as the kubelet's: 200..399 is success. */
class StatusHandlerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "100, false", "199, false", "200, true", "204, true", "302, true", "399, true",
      "400, false", "503, false", "599, false",
      // outside the classes RFC 9110 defines: built when they come, judged alike
      "99, false", "600, false", "999, false"})
  void successIffTheStatusIsFrom200To399(int status, boolean success) {
    assertEquals(new CheckOutcome(success, "HTTP " + status), StatusHandler.outcomeOf(status));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {100, 200, 503, 599})
  void aStandardStatusHasOneOutcomeBuiltOnce(int status) {
    assertSame(StatusHandler.outcomeOf(status), StatusHandler.outcomeOf(status));
  }
}

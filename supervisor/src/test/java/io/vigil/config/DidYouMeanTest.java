package io.vigil.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Suggestions for unknown keys, as a table: typed key, allowed keys, suggestion. */
class DidYouMeanTest {
  private static final List<String> PROBE = List.of("http", "tcp", "exec", "initial-delay",
      "period", "timeout", "success-threshold", "failure-threshold");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "-", value = {
      "timout,              timeout",            // one deletion
      "perdio,              period",             // a swap counts as one edit
      "htp,                 http",
      "initialDelaySeconds, initial-delay",      // the kubelet's spelling: shared prefix
      "failureThreshold,    failure-threshold",  // camelCase is the same key
      "success_threshold,   success-threshold",  // so is snake_case
      "success,             success-threshold",  // a prefix
      "grpc,                -",                  // nothing close: no guess
      "tc,                  tcp",
      "ab,                  -",
  })
  void suggestsTheClosestAllowedKey(String typed, String expected) {
    // Given a key that is not allowed / When a suggestion is asked for
    Optional<String> suggestion = DidYouMean.suggest(typed, PROBE);

    // Then it is the expected one, or none
    assertEquals(Optional.ofNullable(expected), suggestion);
  }

  @ParameterizedTest(name = "{0} vs {1} = {2}")
  @CsvSource({"'', abc, 3", "kitten, sitting, 3", "port, prot, 1", "host, port, 2", "abc, abc, 0"})
  void distanceCountsEditsAndSwaps(String a, String b, int expected) {
    assertEquals(expected, DidYouMean.distance(a, b));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "timout | unknown key 'timout'; did you mean 'timeout'?",
      "grpc   | unknown key 'grpc'; allowed keys: http, tcp, exec, initial-delay, period, timeout, "
          + "success-threshold, failure-threshold",
  })
  void messageSuggestsOrListsTheAllowedKeys(String typed, String message) {
    assertEquals(message, DidYouMean.unknownKey(typed, PROBE));
  }
}

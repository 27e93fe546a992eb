package io.vigil.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final long MS = 1_000_000L;
  private static final long NOW = 10_000 * MS;
  private static final long DEADLINE = NOW + 15_000 * MS;

  private static RetryPolicy policy(RetryBudget budget, RetryOn... on) {
    return new RetryPolicy(Specs.retries(2, on), budget,
        new Backoff(Duration.ofMillis(25), Duration.ofMillis(250),
            new java.util.SplittableRandom(1)));
  }

  @Test
  void retryOnCoversFailuresAsEnvoysRetryOn() {
    record Row(Outcome outcome, RetryOn on, boolean covered) {}
    List<Row> table = List.of(
        new Row(Outcome.connectFailure(), RetryOn.CONNECT_FAILURE, true),
        new Row(Outcome.reset(), RetryOn.CONNECT_FAILURE, false),
        new Row(Outcome.timeout(), RetryOn.CONNECT_FAILURE, false),
        new Row(Outcome.response(503), RetryOn.CONNECT_FAILURE, false),
        new Row(Outcome.reset(), RetryOn.RESET, true),
        new Row(Outcome.timeout(), RetryOn.RESET, true),
        new Row(Outcome.response(502), RetryOn.RESET, false),
        new Row(Outcome.connectFailure(), RetryOn.GATEWAY_ERROR, true),
        new Row(Outcome.timeout(), RetryOn.GATEWAY_ERROR, true),
        new Row(Outcome.response(502), RetryOn.GATEWAY_ERROR, true),
        new Row(Outcome.response(504), RetryOn.GATEWAY_ERROR, true),
        new Row(Outcome.response(500), RetryOn.GATEWAY_ERROR, false),
        new Row(Outcome.response(500), RetryOn.SERVER_ERROR, true),
        new Row(Outcome.response(599), RetryOn.SERVER_ERROR, true),
        new Row(Outcome.reset(), RetryOn.SERVER_ERROR, true),
        new Row(Outcome.response(404), RetryOn.SERVER_ERROR, false),
        new Row(Outcome.response(200), RetryOn.SERVER_ERROR, false));
    for (Row row : table) {
      assertEquals(row.covered(), policy(new RetryBudget(20, 3), row.on()).covers(row.outcome()),
          row.toString());
    }
  }

  @Test
  void decisionsAndTheirReasons() {
    record Row(Outcome outcome, String method, boolean replayable, int retries, String reason) {}
    List<Row> table = List.of(
        new Row(Outcome.response(500), "GET", true, 0, "500 not in retry-on"),
        new Row(Outcome.response(503), "POST", true, 0,
            "POST not idempotent, and it may have reached the instance"),
        new Row(Outcome.reset(), "PATCH", true, 0,
            "PATCH not idempotent, and it may have reached the instance"),
        new Row(Outcome.response(503), "PUT", false, 0,
            "its body was streamed and cannot be sent again"),
        new Row(Outcome.response(503), "GET", true, 2, "retry limit reached (2)"));
    for (Row row : table) {
      RetryDecision d = policy(new RetryBudget(20, 3), RetryOn.CONNECT_FAILURE,
          RetryOn.RESET, RetryOn.GATEWAY_ERROR)
          .decide(row.outcome(), row.method(), row.replayable(), row.retries(), 1, NOW, DEADLINE);
      assertFalse(d.retry(), row.toString());
      assertEquals(row.reason(), d.reason(), row.toString());
    }
  }

  @Test
  void aConnectFailureIsRetriedWhateverTheMethodAndBody() {
    // Given a POST with a streamed body that never reached an instance
    RetryPolicy policy = policy(new RetryBudget(20, 3), RetryOn.CONNECT_FAILURE);

    // When its connect failed / Then it is retried: nothing was sent
    RetryDecision d = policy.decide(Outcome.connectFailure(), "POST", false, 0, 1, NOW, DEADLINE);
    assertTrue(d.retry(), d.reason());
    assertTrue(d.reason().startsWith("retry 1 of 2 after connect-failure, in "), d.reason());
    assertTrue(d.delayNanos() >= 0 && d.delayNanos() < 25 * MS);
  }

  @Test
  void theBudgetRefusesRetriesBeyondItAndRetriesHoldTheirSlot() {
    // Given a budget of max(1, 0 %) = 1 retry in flight
    RetryBudget budget = new RetryBudget(0, 1);
    RetryPolicy policy = policy(budget, RetryOn.GATEWAY_ERROR);

    // When two requests want a retry / Then the first gets it and holds the slot
    assertTrue(policy.decide(Outcome.response(503), "GET", true, 0, 5, NOW, DEADLINE).retry());
    RetryDecision second = policy.decide(Outcome.response(503), "GET", true, 0, 5, NOW, DEADLINE);
    assertFalse(second.retry());
    assertEquals("retry budget exhausted (1 retries in flight, 1 allowed)", second.reason());
    assertEquals(1, budget.active());
  }

  @Test
  void noRetryWhenTheBackOffWouldOutlastTheRequestTimeout() {
    // Given a request whose deadline is 1 ns away
    RetryPolicy policy = policy(new RetryBudget(20, 3), RetryOn.GATEWAY_ERROR);

    // When it fails / Then it is not retried, and no budget slot is taken
    RetryDecision d = policy.decide(Outcome.response(502), "GET", true, 0, 1, NOW, NOW + 1);
    assertEquals(RetryPolicy.DEADLINE, d.reason());
  }

  @Test
  void idempotentMethodsAreRfc9110s() {
    for (String m : List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE", "get")) {
      assertTrue(RetryPolicy.idempotent(m), m);
    }
    for (String m : List.of("POST", "PATCH", "CONNECT", "PROPFIND")) {
      assertFalse(RetryPolicy.idempotent(m), m);
    }
  }
}

package io.vigil.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  @Test
  void allowedIsTheLargerOfMinAndPercentOfActiveRequests() {
    // Given Envoy's defaults: 20 %, at least 3
    RetryBudget budget = new RetryBudget(20, 3);
    record Row(int activeRequests, int allowed) {}
    for (Row row : List.of(new Row(0, 3), new Row(10, 3), new Row(15, 3), new Row(20, 4),
        new Row(100, 20), new Row(1024, 204))) {
      // Then the allowed retries in flight follow max(3, 20 % x active)
      assertEquals(row.allowed(), budget.allowed(row.activeRequests()), row.toString());
    }
  }

  @Test
  void retriesStartWhileTheBudgetHasRoomAndReleaseFreesIt() {
    // Given a budget of max(2, 10 % of 10) = 2
    RetryBudget budget = new RetryBudget(10, 2);

    // When three retries ask while 10 requests are in flight
    // Then two start and the third is refused
    assertTrue(budget.tryAcquire(10));
    assertTrue(budget.tryAcquire(10));
    assertFalse(budget.tryAcquire(10));
    assertEquals(2, budget.active());

    // When one ends, another may start; and more requests in flight widen the budget
    budget.release();
    assertTrue(budget.tryAcquire(10));
    assertTrue(budget.tryAcquire(30));
    assertEquals(3, budget.active());
  }

  @Test
  void zeroBudgetNeverRetries() {
    RetryBudget budget = new RetryBudget(0, 0);
    assertFalse(budget.tryAcquire(1000));
  }

  @Test
  void releaseWithoutARetryIsABug() {
    RetryBudget budget = new RetryBudget(20, 3);
    assertThrows(IllegalStateException.class, budget::release);
    assertThrows(IllegalArgumentException.class, () -> new RetryBudget(101, 0));
  }
}

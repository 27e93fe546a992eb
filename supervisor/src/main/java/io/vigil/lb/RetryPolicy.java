package io.vigil.lb;

import io.vigil.time.HumanDuration;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a failed try is retried on another instance. In order: the failure must be in
 * retry-on; a request that may have reached the instance is retried only if its method is
 * idempotent (RFC 9110 §9.2.2) and its body can be sent again; the per-request limit; the back-off
 * must end before the request's deadline; and the {@link RetryBudget} must have room.
 *
 * <p>What retry-on covers, as Envoy's {@code retry_on}: {@code connect-failure} the connect
 * failures; {@code reset} resets and per-try timeouts; {@code gateway-error} those and 502, 503,
 * 504; {@code 5xx} those and every 5xx. Not thread-safe: {@link TrafficPolicy} guards it.
 */
public final class RetryPolicy {
  static final String NOT_RETRIED_ON = "not in retry-on";
  static final String NOT_IDEMPOTENT = "not idempotent, and it may have reached the instance";
  static final String BODY_SENT = "its body was streamed and cannot be sent again";
  static final String LIMIT = "retry limit reached";
  static final String DEADLINE = "the request timeout would pass during the back-off";
  static final String BUDGET = "retry budget exhausted";

  private static final Set<String> IDEMPOTENT =
      Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

  private final RetrySpec spec;
  private final RetryBudget budget;
  private final Backoff backoff;

  public RetryPolicy(RetrySpec spec, RetryBudget budget, Backoff backoff) {
    this.spec = spec;
    this.budget = budget;
    this.backoff = backoff;
  }

  /** RFC 9110 §9.2.2: a retry of these has the same effect as one request. */
  public static boolean idempotent(String method) {
    return IDEMPOTENT.contains(method.toUpperCase(Locale.ROOT));
  }

  /** True if retry-on covers this outcome. */
  public boolean covers(Outcome outcome) {
    Set<RetryOn> on = spec.retryOn();
    boolean gateway = on.contains(RetryOn.GATEWAY_ERROR) || on.contains(RetryOn.SERVER_ERROR);
    return switch (outcome.kind()) {
      case CONNECT_FAILURE -> gateway || on.contains(RetryOn.CONNECT_FAILURE);
      case RESET, TIMEOUT -> gateway || on.contains(RetryOn.RESET);
      case RESPONSE -> outcome.gatewayError() ? gateway
          : outcome.serverError() && on.contains(RetryOn.SERVER_ERROR);
    };
  }

  /**
   * @param method the request's method
   * @param replayable its body (if any) is still whole in memory, so it can be sent again
   * @param retries retries this request already made
   * @param activeRequests requests in flight on this service, for the budget
   * @param deadline when the request times out (Ticker time)
   */
  public RetryDecision decide(Outcome outcome, String method, boolean replayable, int retries,
      int activeRequests, long now, long deadline) {
    boolean reached = outcome.kind() != Outcome.Kind.CONNECT_FAILURE;
    if (!covers(outcome)) {
      return RetryDecision.giveUp(outcome + " " + NOT_RETRIED_ON);
    }
    if (reached && !idempotent(method)) {
      return RetryDecision.giveUp(method + " " + NOT_IDEMPOTENT);
    }
    if (reached && !replayable) {
      return RetryDecision.giveUp(BODY_SENT);
    }
    if (retries >= spec.limit()) {
      return RetryDecision.giveUp(LIMIT + " (" + spec.limit() + ")");
    }
    long delay = backoff.delayNanos(retries + 1);
    if (deadline - now <= delay) {
      return RetryDecision.giveUp(DEADLINE);
    }
    if (!budget.tryAcquire(activeRequests)) {
      return RetryDecision.giveUp(BUDGET + " (" + budget.active() + " retries in flight, "
          + budget.allowed(activeRequests) + " allowed)");
    }
    return RetryDecision.retryAfter(delay, "retry " + (retries + 1) + " of " + spec.limit()
        + " after " + outcome + ", in " + HumanDuration.format(delay));
  }
}

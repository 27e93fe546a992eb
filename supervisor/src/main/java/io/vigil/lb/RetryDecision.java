package io.vigil.lb;

/**
 * Whether a failed try is tried again, after how long, and why (for logs and metrics). A retry
 * holds a slot of the {@link RetryBudget} until its try ends or it is abandoned.
 */
public record RetryDecision(boolean retry, long delayNanos, String reason) {
  static RetryDecision retryAfter(long delayNanos, String reason) {
    return new RetryDecision(true, delayNanos, reason);
  }

  static RetryDecision giveUp(String reason) {
    return new RetryDecision(false, 0, reason);
  }
}

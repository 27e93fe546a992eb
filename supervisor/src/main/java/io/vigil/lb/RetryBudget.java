package io.vigil.lb;

/**
 * Envoy's retry budget: a retry may start only while the retries in flight stay within
 * max(min-retry-concurrency, budget-percent x requests in flight). It keeps retries from
 * multiplying the load on a service that is already failing (a "retry storm"), while a quiet
 * service may still retry a few requests. Not thread-safe: {@link TrafficPolicy} guards it.
 */
public final class RetryBudget {
  private final double percent;
  private final int minConcurrency;
  private int active;

  public RetryBudget(double percent, int minConcurrency) {
    if (percent < 0 || percent > 100 || minConcurrency < 0) {
      throw new IllegalArgumentException("need 0 <= percent <= 100 and min >= 0");
    }
    this.percent = percent;
    this.minConcurrency = minConcurrency;
  }

  /** Retries that may be in flight while {@code activeRequests} requests are. */
  public int allowed(int activeRequests) {
    return Math.max(minConcurrency, (int) (percent * activeRequests / 100.0));
  }

  /** Starts a retry if the budget has room; {@link #release()} it when that try ends. */
  public boolean tryAcquire(int activeRequests) {
    if (active >= allowed(activeRequests)) {
      return false;
    }
    active++;
    return true;
  }

  public void release() {
    if (active == 0) {
      throw new IllegalStateException("release() without a retry in flight");
    }
    active--;
  }

  public int active() {
    return active;
  }
}

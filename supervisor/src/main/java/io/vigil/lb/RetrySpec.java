package io.vigil.lb;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * When a failed try is retried on another instance.
 *
 * @param limit retries per request, not attempts: 2 means up to 3 tries (Istio's {@code attempts},
 *     Linkerd's {@code retry.linkerd.io/limit})
 * @param perTryTimeout a try with no response head after this fails and may be retried; empty:
 *     only the request timeout applies
 * @param backoffBase retry n waits a random time in [0, min(max, (2^n - 1) x base)) (full jitter)
 * @param budgetPercent retries in flight may be at most this percentage of requests in flight ...
 * @param minRetryConcurrency ... or this many, whichever is more (Envoy's retry budget)
 * @param retryOn the failures that may be retried
 */
public record RetrySpec(int limit, Optional<Duration> perTryTimeout, Duration backoffBase,
    Duration backoffMax, double budgetPercent, int minRetryConcurrency, Set<RetryOn> retryOn) {
  public RetrySpec {
    retryOn = Set.copyOf(retryOn);
    if (limit < 0 || minRetryConcurrency < 0 || budgetPercent < 0 || budgetPercent > 100) {
      throw new IllegalArgumentException("need limit >= 0, 0 <= percent <= 100, min >= 0");
    }
    if (backoffBase.isNegative() || backoffBase.isZero() || backoffMax.compareTo(backoffBase) < 0) {
      throw new IllegalArgumentException("need 0 < base <= max");
    }
  }
}

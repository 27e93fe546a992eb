package io.vigil.lb.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vigil.instance.InstanceId;
import io.vigil.lb.Outcome;
import io.vigil.lb.RetryDecision;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The retry bookkeeping of one request: the instances it tried (a retry goes elsewhere, as
 * Istio's retryIgnorePreviousHosts), how many retries it made, the budget slot a granted retry
 * holds until its try starts, the back-off timer, and the last failure (what the client is told
 * when no instance answers). Whether to retry is {@link io.vigil.lb.RetryPolicy}'s decision.
 * Event-loop confined.
 */
final class RetryState {
  private final ServiceBalancer service;
  /** No set is made for the first try, which is nearly every request. */
  private Set<InstanceId> tried = Set.of();
  private int retries;
  private boolean slot;
  private Outcome lastFailure;
  private ScheduledFuture<?> backoff;

  RetryState(ServiceBalancer service) {
    this.service = service;
  }

  Set<InstanceId> tried() {
    return tried;
  }

  /** A try goes to {@code id}; returns whether it is a retry (it then holds a budget slot). */
  boolean picked(InstanceId id) {
    if (tried.isEmpty()) {
      tried = Set.of(id);
    } else {
      if (!(tried instanceof HashSet)) {
        tried = new HashSet<>(tried);
      }
      tried.add(id);
    }
    boolean retry = slot;
    slot = false;
    return retry;
  }

  Outcome lastFailure() {
    return lastFailure;
  }

  /** Asks the policy whether a try that ended with {@code outcome} is retried. */
  RetryDecision decide(Outcome outcome, ForwardedRequest request, long deadline) {
    lastFailure = outcome;
    return service.retry(outcome, request.method, request.replayable(), retries, deadline);
  }

  /** Runs {@code next} after the granted retry's back-off, on {@code loop}. */
  void retryAfter(RetryDecision decision, InstanceId from, EventExecutor loop, Runnable next) {
    retries++;
    slot = true;
    service.metrics.retried(service.name, from, decision.reason());
    backoff = loop.schedule(next, decision.delayNanos(), TimeUnit.NANOSECONDS);
  }

  /** The back-off ended (its task runs now). */
  void backoffOver() {
    backoff = null;
  }

  /** No retry will start: stop the back-off and give the budget slot back. */
  void abandon() {
    if (backoff != null) {
      backoff.cancel(false);
      backoff = null;
    }
    if (slot) {
      slot = false;
      service.retryAbandoned();
    }
  }
}

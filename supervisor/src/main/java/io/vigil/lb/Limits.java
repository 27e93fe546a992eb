package io.vigil.lb;

import java.util.EnumMap;
import java.util.Map;

/**
 * Load shedding counters (Envoy's circuit breakers, HAProxy's maxconn without a queue): the data
 * path acquires a slot before it takes something on and releases it when done; a refused slot
 * means an immediate 503. There is no queue, so no request waits unboundedly. Not thread-safe:
 * {@link TrafficPolicy} guards it.
 */
public final class Limits {
  /** What is limited; {@link #reason()} names the setting, for the 503's log line and metrics. */
  public enum Kind {
    CONNECTIONS("max-connections"), PENDING("max-pending"), REQUESTS("max-requests");

    private final String reason;

    Kind(String reason) {
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  private final Map<Kind, Integer> max = new EnumMap<>(Kind.class);
  private final Map<Kind, Integer> inUse = new EnumMap<>(Kind.class);

  public Limits(LimitsSpec spec) {
    max.put(Kind.CONNECTIONS, spec.maxConnections());
    max.put(Kind.PENDING, spec.maxPending());
    max.put(Kind.REQUESTS, spec.maxRequests());
    for (Kind kind : Kind.values()) {
      inUse.put(kind, 0);
    }
  }

  /** Takes a slot if one is free. */
  public boolean tryAcquire(Kind kind) {
    if (inUse.get(kind) >= max.get(kind)) {
      return false;
    }
    inUse.merge(kind, 1, Integer::sum);
    return true;
  }

  public void release(Kind kind) {
    if (inUse.get(kind) == 0) {
      throw new IllegalStateException("release(" + kind + ") without a slot taken");
    }
    inUse.merge(kind, -1, Integer::sum);
  }

  public int inUse(Kind kind) {
    return inUse.get(kind);
  }

  public int max(Kind kind) {
    return max.get(kind);
  }
}

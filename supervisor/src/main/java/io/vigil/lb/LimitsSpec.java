package io.vigil.lb;

/**
 * Load shedding (Envoy's "circuit breakers"): beyond a limit a request is answered 503 at once.
 *
 * @param maxConnections client connections open at once
 * @param maxPending requests waiting for a connection to an instance to be established
 * @param maxRequests requests in flight at once, to all instances together
 */
public record LimitsSpec(int maxConnections, int maxPending, int maxRequests) {
  public LimitsSpec {
    if (maxConnections < 1 || maxPending < 1 || maxRequests < 1) {
      throw new IllegalArgumentException("limits must be >= 1");
    }
  }
}

package io.vigil.lb;

import io.vigil.instance.InstanceId;
import java.util.OptionalLong;

/**
 * One instance as its load balancer sees it, for the API and metrics: a snapshot, not live.
 *
 * @param inRotation in the ready list the supervisor gave (false: draining, requests still in
 *     flight)
 * @param ejectedForNanos how much longer its ejection lasts, from the snapshot; empty if it is
 *     not ejected
 * @param weight its slow-start weight, 0.1 to 1 (1: full share, or slow start off); 0 when out of
 *     rotation
 * @param timesEjected ejections in a row (after decay): the next lasts base x (this + 1)
 * @param inFlight requests (or, for TCP, connections) in flight to it
 */
public record EndpointState(InstanceId instance, boolean inRotation, OptionalLong ejectedForNanos,
    double weight, int timesEjected, int inFlight, int consecutive5xx,
    int consecutiveGatewayErrors, int consecutiveLocalFailures) {

  /** Why it does or does not get new requests. */
  public enum Status {
    /** Gets new requests, at full weight. */
    IN_ROTATION,
    /** Gets new requests, fewer than its share while its slow-start weight ramps up. */
    SLOW_START,
    /** In the ready list, but ejected by outlier detection for a while. */
    EJECTED,
    /** Left the ready list (not ready, or being stopped); its requests in flight go on. */
    DRAINING
  }

  public boolean ejected() {
    return ejectedForNanos.isPresent();
  }

  public Status status() {
    if (!inRotation) {
      return Status.DRAINING;
    }
    if (ejected()) {
      return Status.EJECTED;
    }
    return weight < 1.0 ? Status.SLOW_START : Status.IN_ROTATION;
  }
}

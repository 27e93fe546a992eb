package io.vigil.lb;

import io.vigil.instance.InstanceId;
import java.util.OptionalLong;

/**
 * One instance as its load balancer sees it, for the API and metrics: a snapshot, not live.
 *
 * @param inRotation in the ready list the supervisor gave (false: draining, requests still in
 *     flight)
 * @param ejectedUntilNanos when its ejection ends, on the load balancer's Ticker; empty if it is
 *     not ejected
 * @param timesEjected ejections in a row (after decay): the next lasts base x (this + 1)
 * @param inFlight requests (or, for TCP, connections) in flight to it
 */
public record EndpointState(InstanceId instance, boolean inRotation,
    OptionalLong ejectedUntilNanos, int timesEjected, int inFlight, int consecutive5xx,
    int consecutiveGatewayErrors, int consecutiveLocalFailures) {

  public boolean ejected() {
    return ejectedUntilNanos.isPresent();
  }
}

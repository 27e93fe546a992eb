package io.vigil.control;

import io.vigil.instance.InstanceId;
import io.vigil.lb.EndpointState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the supervisor tells a load balancer which instances may take traffic. Called on the
 * control thread; implementations must not block.
 *
 * <p>Order on a stop: the instance leaves the ready set first (no new requests), then {@link
 * #drain} waits for the requests already in flight, and only then is the stop signal sent.
 */
public interface TrafficGate {
  /** An instance that may get new requests: READY, with a port. */
  record Endpoint(InstanceId id, int port) {}

  /** The full ready set of a service, after each change to it. */
  default void onReady(String service, List<Endpoint> ready) {}

  /** Completes when the instance has no request in flight, bounded by the drain timeout. */
  default CompletableFuture<Void> drain(InstanceId id) {
    return CompletableFuture.completedFuture(null);
  }

  /** A reload was applied: start, stop or replace load balancers to match. */
  default void onConfig(io.vigil.config.VigilConfig config) {}

  /**
   * How the service's load balancer sees its instances now (in rotation, ejected, draining...);
   * empty if the service has none. Cheap: a copy taken under the load balancer's short lock.
   */
  default Optional<List<EndpointState>> endpoints(String service) {
    return Optional.empty();
  }

  TrafficGate NONE = new TrafficGate() {};
}

package io.vigil.cli;

import io.vigil.config.ServiceSpec;
import io.vigil.config.VigilConfig;
import io.vigil.control.Supervisor;
import io.vigil.control.TrafficGate;
import io.vigil.instance.InstanceId;
import io.vigil.lb.EndpointState;
import io.vigil.lb.LbSpec;
import io.vigil.lb.OutlierEvent;
import io.vigil.metrics.VigilMetrics;
import io.vigil.lb.netty.LbEvents;
import io.vigil.lb.netty.LoadBalancers;
import io.vigil.time.Ticker;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Joins the supervisor and the load balancers: ready sets and drains flow from the supervisor
 * to the load balancers; ejections and returns flow back as events for the supervisor's event
 * log, and an ejection as an immediate liveness check (beyond HAProxy's {@code on-error
 * fastinter}: the check runs now, not at a faster interval).
 */
final class LoadBalancerWiring implements TrafficGate, LbEvents, AutoCloseable {
  private static final Logger LOG = System.getLogger(LoadBalancerWiring.class.getName());

  private final LoadBalancers balancers;
  private final Clock clock;
  private final Map<String, LbSpec> running = new ConcurrentHashMap<>();
  private volatile Supervisor supervisor;

  LoadBalancerWiring(Ticker ticker, Clock clock, VigilMetrics metrics) {
    this.clock = clock;
    this.balancers = new LoadBalancers(ticker, this, metrics.loadBalancers(this::states));
  }

  private Map<String, List<EndpointState>> states() {
    Map<String, List<EndpointState>> states = new java.util.TreeMap<>();
    for (String service : running.keySet()) {
      states.put(service, balancers.state(service));
    }
    return states;
  }

  /** Binds every configured load balancer; before the supervisor starts anything. */
  void start(VigilConfig config, Supervisor supervisor) throws IOException {
    this.supervisor = supervisor;
    for (ServiceSpec spec : config.services().values()) {
      Optional<LbSpec> lb = spec.loadBalancer();
      if (lb.isPresent()) {
        startOne(spec.name(), lb.get());
      }
    }
  }

  private void startOne(String service, LbSpec spec) throws IOException {
    try {
      balancers.start(service, spec);
    } catch (IOException e) {
      throw new IOException("services." + service + ".load-balancer.listen " + spec.listen()
          + ": cannot listen: " + e.getMessage(), e);
    }
    running.put(service, spec);
    LOG.log(Level.INFO, "load balancer for " + service + " on " + spec.host() + ":"
        + balancers.port(service) + " (" + balancers.transport() + ")");
  }

  int port(String service) {
    return balancers.port(service);
  }

  @Override
  public void onReady(String service, List<TrafficGate.Endpoint> ready) {
    if (running.containsKey(service)) {
      balancers.updateEndpoints(service, ready.stream()
          .map(e -> new io.vigil.lb.netty.Endpoint(e.id(), "127.0.0.1", e.port())).toList());
    }
  }

  @Override
  public CompletableFuture<Void> drain(InstanceId id) {
    LbSpec spec = running.get(id.service());
    return spec == null ? CompletableFuture.completedFuture(null)
        : balancers.drain(id, spec.timeouts().drain());
  }

  @Override
  public void onConfig(VigilConfig config) {
    for (String service : List.copyOf(running.keySet())) {
      ServiceSpec spec = config.services().get(service);
      if (spec == null || !spec.loadBalancer().equals(Optional.of(running.get(service)))) {
        balancers.stop(service);
        running.remove(service);
        LOG.log(Level.INFO, "load balancer for " + service + " stopped");
      }
    }
    for (ServiceSpec spec : config.services().values()) {
      if (spec.loadBalancer().isPresent() && !running.containsKey(spec.name())) {
        try {
          startOne(spec.name(), spec.loadBalancer().get());
        } catch (IOException e) {
          LOG.log(Level.ERROR, "reload: " + e.getMessage());
        }
      }
    }
  }

  /** On a Netty event loop: date the event and post it; the supervisor logs and records it. */
  @Override
  public void outlier(OutlierEvent event, long nowNanos) {
    Supervisor s = supervisor;
    if (s != null) {
      s.onRotation(event.toRotationChange(clock.instant(), nowNanos));
    }
  }

  @Override
  public Optional<List<EndpointState>> endpoints(String service) {
    return running.containsKey(service) ? Optional.of(balancers.state(service))
        : Optional.empty();
  }

  @Override
  public void close() {
    balancers.close();
  }
}

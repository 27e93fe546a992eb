package io.vigil.control;

import io.vigil.instance.InstanceState;
import io.vigil.lb.EndpointState;
import java.util.List;
import java.util.Optional;

/**
 * A read-only copy of one service: its desired instance count, each instance's state, and, if it
 * has a load balancer, how that sees the instances (only those in rotation or draining).
 */
public record ServiceView(String name, int desired, List<InstanceView> instances,
    Optional<List<EndpointState>> loadBalancer) {
  public ServiceView {
    instances = List.copyOf(instances);
    loadBalancer = loadBalancer.map(List::copyOf);
  }

  /** A service without a load balancer. */
  public ServiceView(String name, int desired, List<InstanceView> instances) {
    this(name, desired, instances, Optional.empty());
  }

  public long ready() {
    return instances.stream().filter(InstanceView::ready).count();
  }

  public long failed() {
    return instances.stream().filter(i -> i.state() == InstanceState.FAILED).count();
  }
}

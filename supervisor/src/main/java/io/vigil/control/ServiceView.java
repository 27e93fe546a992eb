package io.vigil.control;

import io.vigil.instance.InstanceState;
import java.util.List;

/** A read-only copy of one service: its desired instance count and each instance's state. */
public record ServiceView(String name, int desired, List<InstanceView> instances) {
  public ServiceView {
    instances = List.copyOf(instances);
  }

  public long ready() {
    return instances.stream().filter(InstanceView::ready).count();
  }

  public long failed() {
    return instances.stream().filter(i -> i.state() == InstanceState.FAILED).count();
  }
}

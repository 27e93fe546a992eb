package io.vigil.config;

import io.vigil.lb.LbSpec;
import io.vigil.limits.LimitsSpec;
import io.vigil.probe.ProbesSpec;
import io.vigil.restart.RestartSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One configured service, validated. Instance i (0-based) listens on {@code port + i} when a port
 * is set, and is given PORT, VIGIL_SERVICE and VIGIL_INSTANCE in its environment. With a {@code
 * loadBalancer}, Vigil listens on its address and spreads traffic over the ready instances.
 */
public record ServiceSpec(
    String name,
    List<String> command,
    Path workingDir,
    Map<String, String> env,
    Optional<String> user,
    int instances,
    OptionalInt port,
    ProbesSpec probes,
    RestartSpec restart,
    StopSpec stop,
    LimitsSpec limits,
    Origin origin,
    Optional<LbSpec> loadBalancer) {

  public ServiceSpec {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }

  /** The port of instance {@code index}, if the service has ports. */
  public OptionalInt portOf(int index) {
    return port.isPresent() ? OptionalInt.of(port.getAsInt() + index) : OptionalInt.empty();
  }

  /** The same service with another instance count. */
  public ServiceSpec withInstances(int count) {
    return new ServiceSpec(name, command, workingDir, env, user, count, port, probes, restart, stop,
        limits, origin, loadBalancer);
  }

  /** Same settings apart from where they were written: used to tell changed services on reload. */
  public boolean sameSettingsAs(ServiceSpec other) {
    return equals(new ServiceSpec(other.name, other.command, other.workingDir, other.env,
        other.user, other.instances, other.port, other.probes, other.restart, other.stop,
        other.limits, origin, other.loadBalancer));
  }
}

package io.vigil.api;

import io.vigil.control.Commands;
import io.vigil.control.InstanceView;
import io.vigil.control.ServiceView;
import java.time.Duration;
import java.util.List;

/** Finds services and instances for a request; an unknown name is a 404 that names it. */
final class ServiceLookup {
  /**
   * The control loop answers in microseconds, and a request for samples within about a second;
   * seconds of silence mean it is stuck.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Commands commands;

  ServiceLookup(Commands commands) {
    this.commands = commands;
  }

  /** Every service, its instances' resource samples as last taken: to find a name. */
  List<ServiceView> all() {
    return Await.value(commands.services(), TIMEOUT, "listing the services");
  }

  /** Every service, each live instance's sample at most a sample interval old: to show them. */
  List<ServiceView> allWithSamples() {
    return Await.value(commands.servicesWithSamples(), TIMEOUT, "listing the services");
  }

  ServiceView service(String name) {
    return named(all(), name);
  }

  ServiceView serviceWithSamples(String name) {
    return named(allWithSamples(), name);
  }

  private static ServiceView named(List<ServiceView> services, String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> ProblemException.notFound("no service '" + name + "'"));
  }

  InstanceView instance(String service, int index) {
    return instance(service(service), index);
  }

  InstanceView instance(ServiceView service, int index) {
    return service.instances().stream().filter(i -> i.id().index() == index).findFirst()
        .orElseThrow(() -> ProblemException.notFound(
            "no instance " + service.name() + "/" + index));
  }
}

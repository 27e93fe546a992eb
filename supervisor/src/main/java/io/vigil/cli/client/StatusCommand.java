package io.vigil.cli.client;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil status [SVC[/ID]] [--json]}: services and their instances, one line each, with
 * the load balancer's view where there is one (its times in the local time zone).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show services and instances: state, pid, port, uptime, restarts, and the "
        + "load balancer's view (lb) where there is one.",
        "One header per service (ready/desired), then one line per instance with its last exit "
        + "and failing probes. Times in the local time zone. Colour on a terminal unless "
        + "NO_COLOR is set.",
        "Exit 0 ok, 1 refused by Vigil, 2 usage, 3 Vigil not reachable."})
public final class StatusCommand extends ApiCommand {
  @Parameters(arity = "0..1", paramLabel = "SVC[/ID]",
      description = "Only this service, or only this instance of it.")
  String target;

  @Option(names = "--json", description = "Print the API's JSON as it came.")
  boolean json;

  /** The zone times are shown in; tests fix it. */
  ZoneId zone = ZoneId.systemDefault();

  @Override
  int run(VigilApi api) throws ApiProblem, Unreachable, InterruptedException {
    InstanceRef ref = target == null ? null : InstanceRef.parse(spec.commandLine(), target);
    if (json) {
      out().println(api.servicesJson(ref == null ? null : ref.service()).strip());
      return OK;
    }
    List<ServiceStatus> services = ref == null ? api.services()
        : List.of(only(ref, api.service(ref.service())));
    if (services.isEmpty()) {
      out().println("no services");
    }
    StatusTable.lines(services, colour(System.console() != null, System.getenv()), zone)
        .forEach(out()::println);
    return OK;
  }

  private static ServiceStatus only(InstanceRef ref, ServiceStatus service) {
    if (ref.id().isEmpty()) {
      return service;
    }
    return new ServiceStatus(service.name(), service.desired(), service.ready(), service.failed(),
        service.instances().stream().filter(i -> i.id() == ref.id().getAsInt()).toList());
  }

  /** Colour when stdout is a terminal and NO_COLOR is unset or empty (no-color.org). */
  static boolean colour(boolean terminal, Map<String, String> env) {
    String noColor = env.get("NO_COLOR");
    return terminal && (noColor == null || noColor.isEmpty());
  }
}

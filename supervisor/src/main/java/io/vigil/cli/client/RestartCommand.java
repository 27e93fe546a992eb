package io.vigil.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vigil restart SVC[/ID]}: a rolling restart of a service, or one instance. */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = {"Restart a service (rolling) or one instance of it.",
        "A service restarts one instance at a time. Vigil accepts the request and works on it "
        + "in the background: watch vigil status or vigil events -f.",
        "Exit 0 accepted, 1 refused by Vigil, 2 usage, 3 Vigil not reachable."})
public final class RestartCommand extends ApiCommand {
  @Parameters(paramLabel = "SVC[/ID]", description = "The service, or one instance as web/0.")
  String target;

  @Override
  int run(VigilApi api) throws ApiProblem, Unreachable, InterruptedException {
    InstanceRef ref = InstanceRef.parse(spec.commandLine(), target);
    if (ref.id().isPresent()) {
      api.restartInstance(ref.service(), ref.id().getAsInt());
    } else {
      api.serviceAction(ref.service(), "restart");
    }
    out().println(ref + ": restart accepted");
    return OK;
  }
}

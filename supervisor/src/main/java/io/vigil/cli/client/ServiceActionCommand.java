package io.vigil.cli.client;

import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code stop} and {@code start}: an action on a whole service. The API has no per-instance stop
 * or start (an instance of a service is always wanted while the service is), so SVC/ID is a
 * usage error.
 */
abstract class ServiceActionCommand extends ApiCommand {
  @Parameters(paramLabel = "SVC", description = "The service.")
  String target;

  /** The API's verb: {@code stop} or {@code start}. */
  abstract String action();

  @Override
  int run(VigilApi api) throws ApiProblem, Unreachable, InterruptedException {
    InstanceRef ref = InstanceRef.parse(spec.commandLine(), target);
    if (ref.id().isPresent()) {
      throw new ParameterException(spec.commandLine(), "'" + ref + "': only whole services can"
          + " be stopped/started; use vigil " + action() + " " + ref.service()
          + ", or vigil restart " + ref + " for one instance");
    }
    api.serviceAction(ref.service(), action());
    out().println(ref + ": " + action() + " accepted");
    return OK;
  }
}

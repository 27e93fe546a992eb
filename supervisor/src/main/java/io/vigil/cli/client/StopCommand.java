package io.vigil.cli.client;

import picocli.CommandLine.Command;

/** {@code vigil stop SVC}: stops every instance of a service and keeps it stopped. */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = {"Stop a service and keep it stopped until vigil start.",
        "Every instance gets its stop signal (SIGTERM by default), then SIGKILL after its "
        + "grace period. Only whole services can be stopped.",
        "Exit 0 accepted, 1 refused by Vigil, 2 usage, 3 Vigil not reachable."})
public final class StopCommand extends ServiceActionCommand {
  @Override
  String action() {
    return "stop";
  }
}

package io.vigil.cli.client;

import picocli.CommandLine.Command;

/** {@code vigil start SVC}: starts the instances of a service that are down. */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = {"Start a stopped (or failed) service again.",
        "Starts every instance of the service that is down: EXITED, BACKOFF or FAILED. Only "
        + "whole services can be started.",
        "Exit 0 accepted, 1 refused by Vigil, 2 usage, 3 Vigil not reachable."})
public final class StartCommand extends ServiceActionCommand {
  @Override
  String action() {
    return "start";
  }
}

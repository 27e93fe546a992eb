package io.vigil.cli.client;

import picocli.CommandLine.Command;

/** {@code vigil reload}: Vigil re-reads its configuration; prints what changed. */
@Command(name = "reload", mixinStandardHelpOptions = true,
    description = {"Make Vigil re-read and apply its configuration; print what changed.",
        "Prints which services were added, removed, changed and unchanged. An invalid file is "
        + "refused with every problem as FILE:LINE: key: message, and the running "
        + "configuration stays.",
        "Exit 0 applied, 1 refused, 2 usage, 3 Vigil not reachable."})
public final class ReloadCommand extends ApiCommand {
  @Override
  int run(VigilApi api) throws ApiProblem, Unreachable, InterruptedException {
    api.reload().lines().forEach(out()::println);
    return OK;
  }

  @Override
  void fail(ApiProblem e) {
    e.errors().forEach(err()::println);
    super.fail(e);
  }
}

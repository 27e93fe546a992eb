package io.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil}: the entry point of the jar. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A self-healing supervisor for services on plain Linux hosts.",
    subcommands = {RunCommand.class, CheckCommand.class, DemoBackendCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (0 ok, 1 failure, 2 usage or invalid). */
  public static int execute(String... args) {
    Logging.configure();
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      // Anything reaching here is a bug in Vigil: say so in one line, details in the log.
      System.getLogger("io.vigil").log(System.Logger.Level.ERROR, "unexpected error", e);
      commandLine.getErr().println("vigil: internal error: " + e);
      return 1;
    });
    return cli.execute(args);
  }
}

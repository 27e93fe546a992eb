package io.vigil.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil}: the entry point of the jar. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A self-healing supervisor for services on plain Linux hosts.",
    subcommands = {RunCommand.class, CheckCommand.class, DemoBackendCommand.class,
        io.vigil.cli.client.StatusCommand.class, io.vigil.cli.client.RestartCommand.class,
        io.vigil.cli.client.StopCommand.class, io.vigil.cli.client.StartCommand.class,
        io.vigil.cli.client.ReloadCommand.class, io.vigil.cli.client.LogsCommand.class,
        io.vigil.cli.client.EventsCommand.class, io.vigil.cli.client.CompletionCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs a command line and returns its exit code (0 ok, 1 failure, 2 usage or invalid, 3 Vigil
   * not reachable by a client command).
   */
  public static int execute(String... args) {
    return run(new CommandLine(new Main()), args);
  }

  /** As {@link #execute(String...)}, writing to {@code out} and {@code err} (for tests). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return run(new CommandLine(new Main()).setOut(out).setErr(err), args);
  }

  private static int run(CommandLine cli, String... args) {
    Logging.configure();
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      // Anything reaching here is a bug in Vigil: say so in one line, details in the log.
      System.getLogger("io.vigil").log(System.Logger.Level.ERROR, "unexpected error", e);
      commandLine.getErr().println("vigil: internal error: " + e);
      return 1;
    });
    return cli.execute(args);
  }
}

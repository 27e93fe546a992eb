package io.vigil.cli.client;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code vigil logs SVC[/ID] [--instance ID] [--stderr] [-n N] [-f]}: an instance's output.
 *
 * <p>Follow mode polls: the API serves a log's tail, not a stream, so every second it fetches
 * the last {@value #FOLLOW_WINDOW} lines (or N, if more) again and prints the ones after what it
 * printed last ({@link LogTail}). Lines written faster than that between two polls can be
 * missed, and a new line equal to the lines just before it can be taken as already printed.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = {"Print the last lines of an instance's stdout or stderr (-f to follow).",
        "With -f, keep printing new lines until Ctrl-C; this polls Vigil every second.",
        "Exit 0 ok (also on Ctrl-C), 1 refused by Vigil, 2 usage, 3 Vigil not reachable."})
public final class LogsCommand extends ApiCommand {
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  static final int FOLLOW_WINDOW = 1000;

  @Parameters(paramLabel = "SVC[/ID]", description = "The service, or one instance as web/1.")
  String target;

  @Option(names = "--instance", paramLabel = "ID",
      description = "The instance (default: as in SVC/ID, else the API's default, instance 0).")
  Integer instance;

  @Option(names = "--stderr", description = "The instance's stderr instead of its stdout.")
  boolean stderr;

  @Option(names = {"-n", "--tail"}, paramLabel = "N", defaultValue = "100",
      description = "How many of the last lines to print (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until Ctrl-C.")
  boolean follow;

  /** Pauses between polls and Ctrl-C handling; tests put in a fake. */
  Follow following = Follow.SYSTEM;

  @Override
  int run(VigilApi api) throws ApiProblem, Unreachable, InterruptedException {
    InstanceRef ref = InstanceRef.parse(spec.commandLine(), target);
    Integer id = instance(ref);
    if (lines < 0) {
      throw new ParameterException(spec.commandLine(), "-n must be 0 or more, got " + lines);
    }
    if (!follow) {
      String text = api.logs(ref.service(), id, lines, stderr);
      out().print(text.isEmpty() || text.endsWith("\n") ? text : text + "\n");
      return OK;
    }
    return follow(api, ref.service(), id);
  }

  private Integer instance(InstanceRef ref) {
    if (ref.id().isPresent() && instance != null && instance != ref.id().getAsInt()) {
      throw new ParameterException(spec.commandLine(),
          "'" + ref + "' and --instance " + instance + " name different instances");
    }
    return ref.id().isPresent() ? Integer.valueOf(ref.id().getAsInt()) : instance;
  }

  private int follow(VigilApi api, String service, Integer id)
      throws ApiProblem, Unreachable {
    LogTail tail = new LogTail();
    int window = Math.max(lines, FOLLOW_WINDOW);
    Thread follower = Thread.currentThread();
    try (Follow.Trap ctrlC = following.trapCtrlC(follower::interrupt)) {
      List<String> first = tail.next(LogTail.completeLines(api.logs(service, id, window, stderr)));
      print(first.subList(Math.max(0, first.size() - lines), first.size()));
      while (true) {
        following.pause(POLL_INTERVAL);
        print(tail.next(LogTail.completeLines(api.logs(service, id, window, stderr))));
      }
    } catch (InterruptedException e) {
      // Ctrl-C: the trap interrupted this thread (in a pause or a request) to end the loop, as
      // the user asked; the interrupt is ours and consumed here, and the exit is a normal one.
      return OK;
    }
  }

  private void print(List<String> newLines) {
    newLines.forEach(out()::println);
    out().flush();
  }
}

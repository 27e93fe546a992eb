package io.vigil.cli.client;

import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code vigil events [--service S] [-n N] [-f]}: instance events (state transitions, load
 * balancer rotation changes), one line each, in the local time zone. With {@code -f}, the last N
 * first, then new ones as Vigil streams them (server-sent events) until Ctrl-C or until Vigil
 * ends the stream.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
    description = {"Print instance events (-f to follow them): state transitions, and",
        "load balancer ejections and returns (marked lb).",
        "Oldest first, one per line: local time, instance, FROM -> TO, reason, pid.",
        "With -f, keep printing new ones as they happen until Ctrl-C.",
        "Exit 0 ok (also on Ctrl-C), 1 refused by Vigil, 2 usage, 3 Vigil not reachable."})
public final class EventsCommand extends ApiCommand {
  @Option(names = {"-s", "--service"}, paramLabel = "SVC", description = "Only this service.")
  String service;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20",
      description = "How many of the latest events to print (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new events until Ctrl-C.")
  boolean follow;

  /** Ctrl-C handling; tests put in a fake. */
  Follow following = Follow.SYSTEM;

  /** The zone times are shown in; tests fix it. */
  ZoneId zone = ZoneId.systemDefault();

  @Override
  int run(VigilApi api) throws ApiProblem, Unreachable, InterruptedException {
    if (limit < 0) {
      throw new ParameterException(spec.commandLine(), "-n must be 0 or more, got " + limit);
    }
    EventLine format = new EventLine(zone);
    if (!follow) {
      api.events(service, limit).forEach(e -> out().println(format.format(e)));
      return OK;
    }
    return follow(api, format);
  }

  /**
   * History, then the stream. Ctrl-C closes the stream (a blocked read ignores interrupts) and
   * interrupts this thread (for the history request); either way the loop ends with exit 0.
   */
  private int follow(VigilApi api, EventLine format) throws ApiProblem, Unreachable {
    Thread reader = Thread.currentThread();
    try (ApiClient.LineStream stream = api.eventStream();
        Follow.Trap ctrlC = following.trapCtrlC(() -> {
          stream.close();
          reader.interrupt();
        })) {
      try {
        // The stream connects while the history is fetched; an event that happens in between
        // arrives both ways and is printed once.
        List<Event> history = limit == 0 ? List.of() : api.events(service, limit);
        history.forEach(e -> out().println(format.format(e)));
        out().flush();
        stream(stream.lines(), new HashSet<>(history), format);
        if (ctrlC.sprung()) {
          return OK;
        }
        err().println("vigil: Vigil ended the event stream");
        return OK;
      } catch (UncheckedIOException e) {
        if (ctrlC.sprung()) {
          return OK;
        }
        throw api.client().unreachable(e.getCause());
      } catch (InterruptedException e) {
        return OK; // only Ctrl-C interrupts this thread
      } finally {
        if (ctrlC.sprung()) {
          Thread.interrupted(); // the interrupt was ours, sent with the close; consume it
        }
      }
    }
  }

  private void stream(Iterator<String> lines, Set<Event> history,
      EventLine format) throws ApiProblem {
    SseParser sse = new SseParser();
    while (lines.hasNext()) {
      Optional<SseParser.SseEvent> dispatched = sse.feed(lines.next());
      if (dispatched.isEmpty() || !(dispatched.get().type().equals(Event.TRANSITION)
          || dispatched.get().type().equals(Event.ROTATION))) {
        continue;
      }
      Event event = parse(dispatched.get().data());
      if ((service == null || service.equals(event.service())) && !history.remove(event)) {
        out().println(format.format(event));
        out().flush();
      }
    }
  }

  private static Event parse(String data) throws ApiProblem {
    return ApiClient.parse("the event stream", 200, data, Event.class);
  }
}

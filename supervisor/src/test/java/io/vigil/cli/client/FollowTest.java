package io.vigil.cli.client;

import static io.vigil.cli.client.FakeVigil.json;
import static io.vigil.cli.client.FakeVigil.problem;
import static io.vigil.cli.client.FakeVigil.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code logs -f} and {@code events -f} with a scripted {@link Follow}: polls happen at once and
 * "Ctrl-C" comes after a set number of pauses, so nothing here sleeps.
 */
class FollowTest {
  private FakeVigil vigil;

  record Run(int exit, List<String> out, List<String> err) {}

  @BeforeEach
  void startFake() throws IOException {
    vigil = FakeVigil.start();
  }

  @AfterEach
  void stopFake() {
    vigil.close();
  }

  private Run run(Callable<Integer> command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    Collections.addAll(all, "--api", vigil.url());
    int exit = new CommandLine(command).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err)).execute(all.toArray(String[]::new));
    return new Run(exit, out.toString().lines().toList(), err.toString().lines().toList());
  }

  @Test
  void logsFollowPrintsOnlyNewLinesUntilCtrlC() {
    // Given a log that grows between polls, its last line at one point still being written
    vigil.on("GET /v1/services/web/logs?instance=1&tail=1000&stream=stdout",
        text("a\nb\nc\n"),
        text("b\nc\nd\ne\n"),
        text("c\nd\ne\nf\npart"),
        text("d\ne\nf\npartial line\n"));
    LogsCommand logs = new LogsCommand();
    ScriptedFollow follow = new ScriptedFollow(3);
    logs.following = follow;
    // When following the last 2 lines, and Ctrl-C comes on the 4th pause
    Run run = run(logs, "web/1", "-f", "-n", "2");
    // Then every line is printed once, the partial one only when complete, and the exit is 0
    assertEquals(new Run(0, List.of("b", "c", "d", "e", "f", "partial line"), List.of()), run);
    assertEquals(Collections.nCopies(4, Duration.ofSeconds(1)), follow.pauses);
    assertEquals(0, follow.trapsOpen);
  }

  @Test
  void logsFollowEndsWithExit1WhenTheServiceGoesAway() {
    vigil.on("GET /v1/services/web/logs?tail=1000&stream=stderr",
        text("x\n"), problem(404, "Not Found", "no service 'web'"));
    LogsCommand logs = new LogsCommand();
    logs.following = new ScriptedFollow(10);
    assertEquals(new Run(1, List.of("x"), List.of("vigil: no service 'web' (404)")),
        run(logs, "web", "--stderr", "-f"));
  }

  @Test
  void eventsFollowPrintsHistoryThenTheStreamOnceEachAndFiltersTheService() {
    // Given a history of two events and a stream that repeats the last, carries another
    // service's event, an event of another type, a comment, and then ends
    vigil.on("GET /v1/events?service=web&limit=2",
        json(200, Canned.events(Canned.EXITED, Canned.STARTING)));
    vigil.on("GET /v1/events/stream", new FakeVigil.Reply(200, "text/event-stream", String.join(
        "\n",
        ": connected",
        "",
        "event: transition",
        "data: " + Canned.STARTING,
        "",
        "event: transition",
        "data: " + Canned.API_READY,
        "",
        "event: hello",
        "data: {\"not\":\"an event\"}",
        "",
        "event: transition",
        "data: " + Canned.RUNNING,
        "",
        "")));
    EventsCommand events = new EventsCommand();
    events.zone = ZoneOffset.UTC;
    ScriptedFollow follow = new ScriptedFollow(0);
    events.following = follow;
    // When
    Run run = run(events, "-f", "--service", "web", "-n", "2");
    // Then
    assertEquals(new Run(0, List.of(
        "2026-11-27 03:00:00.123  web/0  READY -> EXITED  exited: exit code 3  pid=1234",
        "2026-11-27 03:00:00.125  web/0  EXITED -> STARTING  restart now (first exit)",
        "2026-11-27 03:00:00.180  web/0  STARTING -> RUNNING  process started  pid=1301"),
        List.of("vigil: Vigil ended the event stream")), run);
    assertEquals(0, follow.trapsOpen);
    assertEquals("text/event-stream", vigil.requests().stream()
        .filter(r -> r.uri().equals("/v1/events/stream")).findFirst().orElseThrow().accept());
  }

  @Test
  void ctrlCWhileReadingAnOpenStreamEndsWithExit0() {
    // Given a stream that sends one event and then stays open
    vigil.on("GET /v1/events/stream", new FakeVigil.Reply(200, "text/event-stream",
        "event: transition\ndata: " + Canned.API_READY + "\n\n", true));
    EventsCommand events = new EventsCommand();
    events.zone = ZoneOffset.UTC;
    ScriptedFollow follow = new ScriptedFollow(0);
    events.following = follow;
    // When Ctrl-C is pressed as soon as the event is printed
    StringWriter out = new StringWriter() {
      @Override
      public void write(String s, int off, int len) {
        super.write(s, off, len);
        if (s.contains("RUNNING -> READY")) {
          follow.pressCtrlC();
        }
      }
    };
    StringWriter err = new StringWriter();
    int exit = new CommandLine(events).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("-f", "-n", "0", "--api", vigil.url());
    // Then the stream is dropped, the exit is 0, and the interrupt sent with it is consumed
    assertEquals(0, exit);
    assertEquals(List.of("2026-11-27 03:00:01.000  api/0  RUNNING -> READY"
        + "  readiness probe passed  pid=99"), out.toString().lines().toList());
    assertEquals("", err.toString());
    assertEquals(false, Thread.currentThread().isInterrupted());
    assertEquals(0, follow.trapsOpen);
  }

  @Test
  void eventsFollowWithNoHistory() {
    vigil.on("GET /v1/events/stream", new FakeVigil.Reply(200, "text/event-stream",
        "event: transition\ndata: " + Canned.API_READY + "\n\n"));
    EventsCommand events = new EventsCommand();
    events.zone = ZoneOffset.UTC;
    events.following = new ScriptedFollow(0);
    assertEquals(List.of("2026-11-27 03:00:01.000  api/0  RUNNING -> READY"
        + "  readiness probe passed  pid=99"), run(events, "-f", "-n", "0").out());
    assertEquals(List.of("GET /v1/events/stream"), vigil.requestLines());
  }

  @Test
  void eventsFollowRefusedByVigil() {
    vigil.on("GET /v1/events/stream", problem(401, "Unauthorized", "bearer token required"));
    vigil.on("GET /v1/events?limit=20", problem(401, "Unauthorized", "bearer token required"));
    EventsCommand events = new EventsCommand();
    events.following = new ScriptedFollow(0);
    Run run = run(events, "-f");
    assertEquals(1, run.exit());
    assertEquals(List.of("vigil: bearer token required (401); give the API token with"
        + " --token-file FILE or $VIGIL_TOKEN"), run.err());
  }
}

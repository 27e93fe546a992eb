package io.vigil.cli.client;

import static io.vigil.cli.client.FakeVigil.json;
import static io.vigil.cli.client.FakeVigil.problem;
import static io.vigil.cli.client.FakeVigil.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands end to end through {@link Main}, against {@link FakeVigil} serving the API
 * contract: output lines, stderr lines and exit codes.
 */
class ClientCommandsTest {
  private FakeVigil vigil;
  @TempDir Path dir;

  record Run(int exit, List<String> out, List<String> err) {}

  @BeforeEach
  void startFake() throws IOException {
    vigil = FakeVigil.start();
  }

  @AfterEach
  void stopFake() {
    vigil.close();
  }

  /** {@code vigil ARGS --api FAKE}. */
  private Run vigil(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--api", vigil.url()));
    return run(all.toArray(String[]::new));
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString().lines().toList(), err.toString().lines().toList());
  }

  // ---------------------------------------------------------------- status

  @Test
  void statusPrintsAHeaderPerServiceAndAlignedInstanceLines() {
    // Given two services, one instance in backoff and one not ready
    vigil.on("GET /v1/services", json(200, Canned.SERVICES));
    // When
    Run run = vigil("status");
    // Then
    assertEquals(new Run(0, List.of(
        "web  1/2 ready",
        "  web/0  READY    pid 1234  port 18080  uptime 1h2m   restarts 1   last exit: exit code 3",
        "  web/1  BACKOFF  pid -     port 18081  uptime -      restarts 12  last exit: killed by SIGKILL",
        "api  0/1 ready",
        "  api/0  RUNNING  pid 99    port 18090  uptime 12.5s  restarts 0   readiness failing: HTTP 503"),
        List.of()), run);
    assertEquals("application/json", vigil.requests().get(0).accept());
  }

  @Test
  void statusOfOneServiceAndOfOneInstance() {
    vigil.on("GET /v1/services/web", json(200, Canned.WEB));
    assertEquals(List.of("web  1/2 ready",
        "  web/0  READY    pid 1234  port 18080  uptime 1h2m  restarts 1   last exit: exit code 3",
        "  web/1  BACKOFF  pid -     port 18081  uptime -     restarts 12  last exit: killed by SIGKILL"),
        vigil("status", "web").out());
    assertEquals(List.of("web  1/2 ready",
        "  web/1  BACKOFF  pid -  port 18081  uptime -  restarts 12  last exit: killed by SIGKILL"),
        vigil("status", "web/1").out());
  }

  @Test
  void statusShowsTheLoadBalancersViewAndADashForAServiceWithoutOne() {
    // Given web behind a load balancer (docs/cli.md's example) and api without one
    vigil.on("GET /v1/services", json(200, Canned.SERVICES_LB));
    // When
    Run run = vigil("status");
    // Then every line has an lb column; the ejection's end is in the local zone
    String until = localTimeOfDay("2026-11-27T03:00:30.000Z");
    assertEquals(new Run(0, List.of(
        "web  3/4 ready",
        "  web/0  READY     pid 1234  port 18080  uptime 1h2m   restarts 1  lb in rotation"
            + "                  last exit: exit code 3",
        "  web/1  READY     pid 1240  port 18081  uptime 3m5s   restarts 0  lb ejected until "
            + until + " (x1)",
        "  web/2  READY     pid 1301  port 18082  uptime 4s     restarts 2  lb slow start 40%"
            + "               last exit: killed by SIGKILL",
        "  web/3  STOPPING  pid 1190  port 18083  uptime 2h2m   restarts 0  lb draining (3 in"
            + " flight)",
        "api  0/1 ready",
        "  api/0  RUNNING   pid 99    port 18090  uptime 12.5s  restarts 0  lb -"
            + "                            readiness failing: HTTP 503"),
        List.of()), run);
  }

  @Test
  void statusOfOneInstanceBehindALoadBalancer() {
    vigil.on("GET /v1/services/web", json(200, Canned.WEB_LB));
    assertEquals(List.of("web  3/4 ready",
        "  web/2  READY  pid 1301  port 18082  uptime 4s  restarts 2  lb slow start 40%"
            + "  last exit: killed by SIGKILL"),
        vigil("status", "web/2").out());
  }

  /** {@code iso} as status shows it: the time of day in this machine's zone. */
  private static String localTimeOfDay(String iso) {
    return DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault())
        .format(Instant.parse(iso));
  }

  @Test
  void statusJsonPrintsTheApisJsonAsItCame() {
    vigil.on("GET /v1/services/web", json(200, Canned.WEB));
    Run run = vigil("status", "web", "--json");
    assertEquals(0, run.exit());
    assertEquals(Canned.WEB.strip(), String.join("\n", run.out()));
  }

  @Test
  void statusJsonKeepsTheLoadBalancersFieldsAsTheyCame() {
    vigil.on("GET /v1/services", json(200, Canned.SERVICES_LB));
    Run run = vigil("status", "--json");
    assertEquals(0, run.exit());
    assertEquals(Canned.SERVICES_LB.strip(), String.join("\n", run.out()));
  }

  @Test
  void statusWithNoServices() {
    vigil.on("GET /v1/services", json(200, "{\"services\":[]}"));
    assertEquals(new Run(0, List.of("no services"), List.of()), vigil("status"));
  }

  @Test
  void unknownServiceIsOneLineWithTheProblemsDetailAndExit1() {
    vigil.on("GET /v1/services/nope", problem(404, "Not Found", "no service 'nope'"));
    assertEquals(new Run(1, List.of(), List.of("vigil: no service 'nope' (404)")),
        vigil("status", "nope"));
  }

  @Test
  void anErrorThatIsNotAProblemDocumentShowsItsFirstLine() {
    vigil.on("GET /v1/services", new FakeVigil.Reply(502, "text/plain", "Bad Gateway\nmore"));
    assertEquals(new Run(1, List.of(), List.of("vigil: Bad Gateway (502)")), vigil("status"));
  }

  @Test
  void anErrorWithNoBodyIsNamedByItsStatus() {
    vigil.on("POST /v1/services/web/stop", new FakeVigil.Reply(401, "text/plain", ""));
    assertEquals(new Run(1, List.of(), List.of("vigil: unauthorized (401); give the API token"
        + " with --token-file FILE or $VIGIL_TOKEN")), vigil("stop", "web"));
  }

  @Test
  void anAnswerThatIsNotTheExpectedJsonIsExit1NotAStackTrace() {
    vigil.on("GET /v1/services", text("<html>hello</html>"));
    Run run = vigil("status");
    assertEquals(1, run.exit());
    assertEquals(1, run.err().size(), run.err().toString());
    assertTrue(run.err().get(0).startsWith("vigil: unexpected answer from " + vigil.url()
        + "/v1/services: "), run.err().get(0));
  }

  @Test
  void aJsonNullIsExit1NotAStackTrace() {
    // Given an error "problem" and an answer that are both the JSON literal null
    vigil.on("GET /v1/services/web", new FakeVigil.Reply(500, FakeVigil.PROBLEM, "null"));
    vigil.on("GET /v1/services", json(200, "null"));

    // Then each is one line and exit 1
    assertEquals(new Run(1, List.of(), List.of("vigil: null (500)")), vigil("status", "web"));
    Run run = vigil("status");
    assertEquals(1, run.exit());
    assertEquals(List.of("vigil: unexpected answer from " + vigil.url()
        + "/v1/services: null instead of an object (200)"), run.err());
  }

  // ---------------------------------------------------------------- reachability and auth

  @Test
  void nothingListeningIsExit3WithOneLine() throws IOException {
    // Given a port that was free a moment ago
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    // When / Then
    assertEquals(new Run(3, List.of(), List.of("vigil: cannot reach Vigil at " + url
        + " (connection refused); is it running?")), run("status", "--api", url));
    assertEquals(3, run("restart", "web", "--api", url).exit());
    assertEquals(3, run("events", "-f", "--api", url).exit());
  }

  @Test
  void unauthorizedIsExit1WithAHintAboutTheToken() {
    vigil.on("POST /v1/services/web/restart",
        problem(401, "Unauthorized", "missing or wrong bearer token"));
    assertEquals(new Run(1, List.of(), List.of("vigil: missing or wrong bearer token (401);"
        + " give the API token with --token-file FILE or $VIGIL_TOKEN")),
        vigil("restart", "web"));
  }

  @Test
  void tokenFileIsSentAsBearer() throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "s3cret\n");
    vigil.on("POST /v1/services/web/restart", json(202, "{\"accepted\":true}"));
    assertEquals(0, vigil("restart", "web", "--token-file", token.toString()).exit());
    assertEquals("Bearer s3cret", vigil.requests().get(0).authorization());
  }

  @Test
  void unreadableTokenFileIsAUsageError() {
    Run run = vigil("status", "--token-file", dir.resolve("missing").toString());
    assertEquals(2, run.exit());
    assertEquals("cannot read token file " + dir.resolve("missing") + ": no such file",
        run.err().get(0));
    assertEquals(List.of(), vigil.requests());
  }

  @Test
  void addressAndTokenComeFromTheConfigurationWhenNotGiven() throws IOException {
    // Given a configuration naming the fake's address and an owner-only token file
    Path token = Files.writeString(dir.resolve("token"), "from-config\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    Path config = Files.writeString(dir.resolve("vigil.conf"), """
        vigil {
          state-dir = state
          api { listen = "%s", token-file = token }
        }
        services { hello { command = [sleep, "1000"] } }
        """.formatted(vigil.url().substring("http://".length())));
    vigil.on("GET /v1/services", json(200, "{\"services\":[]}"));
    // When
    Run run = run("status", "--config", config.toString());
    // Then
    assertEquals(new Run(0, List.of("no services"), List.of()), run);
    assertEquals("Bearer from-config", vigil.requests().get(0).authorization());
  }

  // ---------------------------------------------------------------- restart, stop, start

  @Test
  void restartAServiceOrOneInstance() {
    vigil.on("POST /v1/services/web/restart", json(202, "{\"accepted\":true,\"service\":\"web\"}"));
    vigil.on("POST /v1/services/web/instances/1/restart", json(202, "{\"accepted\":true}"));
    assertEquals(new Run(0, List.of("web: restart accepted"), List.of()),
        vigil("restart", "web"));
    assertEquals(new Run(0, List.of("web/1: restart accepted"), List.of()),
        vigil("restart", "web/1"));
    assertEquals(List.of("POST /v1/services/web/restart",
        "POST /v1/services/web/instances/1/restart"), vigil.requestLines());
  }

  @Test
  void stopAndStartAWholeService() {
    vigil.on("POST /v1/services/web/stop", json(202, "{\"accepted\":true}"));
    vigil.on("POST /v1/services/web/start", new FakeVigil.Reply(202, FakeVigil.JSON, ""));
    assertEquals(new Run(0, List.of("web: stop accepted"), List.of()), vigil("stop", "web"));
    assertEquals(new Run(0, List.of("web: start accepted"), List.of()), vigil("start", "web"));
  }

  @Test
  void stopOrStartOfOneInstanceIsAUsageError() {
    Run stop = vigil("stop", "web/0");
    assertEquals(2, stop.exit());
    assertEquals("'web/0': only whole services can be stopped/started; use vigil stop web,"
        + " or vigil restart web/0 for one instance", stop.err().get(0));
    assertEquals(2, vigil("start", "web/0").exit());
    assertEquals(List.of(), vigil.requests());
  }

  // ---------------------------------------------------------------- reload

  @Test
  void reloadPrintsTheDiff() {
    vigil.on("POST /v1/reload", json(200,
        "{\"added\":[\"worker\"],\"removed\":[],\"changed\":[\"web\"],\"unchanged\":[\"api\"]}"));
    assertEquals(new Run(0, List.of("added: worker", "changed: web", "unchanged: api"), List.of()),
        vigil("reload"));
  }

  @Test
  void reloadWithNothingChanged() {
    vigil.on("POST /v1/reload", json(200,
        "{\"added\":[],\"removed\":[],\"changed\":[],\"unchanged\":[\"api\",\"web\"]}"));
    assertEquals(List.of("no changes", "unchanged: api, web"), vigil("reload").out());
  }

  @Test
  void refusedReloadPrintsEveryErrorLineAndExits1() {
    vigil.on("POST /v1/reload", new FakeVigil.Reply(400, FakeVigil.PROBLEM, """
        {"type":"about:blank","title":"Bad Request","status":400,
         "detail":"configuration has 2 problem(s); the running one stays",
         "errors":["/etc/vigil/vigil.conf:7: services.web.instances: must be >= 1",
                   "/etc/vigil/vigil.conf:9: services.web.port: must be 1-65535"]}"""));
    assertEquals(new Run(1, List.of(), List.of(
        "/etc/vigil/vigil.conf:7: services.web.instances: must be >= 1",
        "/etc/vigil/vigil.conf:9: services.web.port: must be 1-65535",
        "vigil: configuration has 2 problem(s); the running one stays (400)")), vigil("reload"));
  }

  // ---------------------------------------------------------------- logs and events

  @Test
  void logsAsksForTheTailOfTheStreamAndInstance() {
    vigil.on("GET /v1/services/web/logs?instance=1&tail=5&stream=stderr", text("one\ntwo"));
    assertEquals(new Run(0, List.of("one", "two"), List.of()),
        vigil("logs", "web", "--instance", "1", "--stderr", "-n", "5"));
    vigil.on("GET /v1/services/web/logs?instance=1&tail=100&stream=stdout", text("out\n"));
    assertEquals(List.of("out"), vigil("logs", "web/1").out());
    vigil.on("GET /v1/services/web/logs?tail=100&stream=stdout", text(""));
    assertEquals(new Run(0, List.of(), List.of()), vigil("logs", "web"));
    assertEquals("text/plain", vigil.requests().get(0).accept());
  }

  @Test
  void logsOfAnUnknownService() {
    vigil.on("GET /v1/services/nope/logs?tail=100&stream=stdout",
        problem(404, "Not Found", "no service 'nope'"));
    assertEquals(new Run(1, List.of(), List.of("vigil: no service 'nope' (404)")),
        vigil("logs", "nope"));
  }

  @Test
  void eventsPrintsOneLinePerEvent() {
    vigil.on("GET /v1/events?service=web&limit=2",
        json(200, Canned.events(Canned.EXITED, Canned.STARTING)));
    Run run = vigil("events", "--service", "web", "-n", "2");
    assertEquals(0, run.exit());
    // The time is in the local zone; EventsFollowTest pins the zone and checks it whole.
    assertEquals(2, run.out().size(), run.out().toString());
    assertTrue(run.out().get(0).endsWith(":00.123  web/0  READY -> EXITED  exited: exit code 3"
        + "  pid=1234"), run.out().get(0));
    assertTrue(run.out().get(1).endsWith("  web/0  EXITED -> STARTING  restart now (first exit)"),
        run.out().get(1));
  }

  @Test
  void eventsFollowStreamsUntilVigilClosesTheStream() {
    vigil.on("GET /v1/events?limit=1", json(200, Canned.events(Canned.EXITED)));
    vigil.on("GET /v1/events/stream", new FakeVigil.Reply(200, "text/event-stream",
        "event: transition\ndata: " + Canned.STARTING + "\n\n"
            + "event: rotation\ndata: " + Canned.EJECTED + "\n\n"));
    Run run = vigil("events", "-f", "-n", "1");
    assertEquals(0, run.exit());
    assertEquals(3, run.out().size(), run.out().toString());
    assertTrue(run.out().get(1).contains("EXITED -> STARTING"), run.out().toString());
    assertTrue(run.out().get(2).contains("  web/1  lb IN_ROTATION -> EJECTED  5 consecutive 5xx"
        + " responses; ejected for 30s (ejection 1 in a row)  until="), run.out().toString());
    assertEquals(List.of("vigil: Vigil ended the event stream"), run.err());
  }

  @Test
  void aNullEventInTheStreamIsOneLineAndExit1() {
    vigil.on("GET /v1/events?limit=1", json(200, Canned.events(Canned.EXITED)));
    vigil.on("GET /v1/events/stream", new FakeVigil.Reply(200, "text/event-stream",
        "event: transition\ndata: null\n\n"));
    Run run = vigil("events", "-f", "-n", "1");
    assertEquals(1, run.exit());
    assertEquals(List.of("vigil: unexpected answer from the event stream: null instead of an"
        + " object (200)"), run.err());
  }

  // ---------------------------------------------------------------- usage, help, completion

  @Test
  void usageErrorsExit2() {
    assertEquals(2, vigil("restart").exit());
    assertEquals(2, vigil("restart", "web/x").exit());
    assertEquals(2, vigil("restart", "/1").exit());
    assertEquals(2, vigil("logs", "web", "-n", "many").exit());
    assertEquals(2, vigil("logs", "web", "-n", "-1").exit());
    assertEquals(2, vigil("logs", "web/0", "--instance", "1").exit());
    assertEquals(2, vigil("events", "--bogus").exit());
    assertEquals(2, vigil("status", "web", "api").exit());
    assertEquals(2, run("status", "--api", "ftp://example").exit());
    assertEquals(List.of(), vigil.requests());
  }

  @Test
  void everyClientCommandHasHelp() {
    for (String command : List.of("status", "restart", "stop", "start", "reload", "logs",
        "events", "completion")) {
      Run run = run(command, "--help");
      assertEquals(0, run.exit(), command);
      assertTrue(run.out().get(0).startsWith("Usage: vigil " + command), run.out().get(0));
    }
    assertTrue(String.join("\n", run("status", "--help").out()).contains("--api=URL"));
  }

  @Test
  void completionScriptCoversTheSubcommands() {
    Run run = run("completion");
    assertEquals(0, run.exit());
    String script = String.join("\n", run.out());
    assertTrue(script.contains("complete -F _complete_vigil"), "no complete -F line");
    for (String command : List.of("run", "check", "status", "restart", "stop", "start",
        "reload", "logs", "events", "completion")) {
      assertTrue(script.contains(command), command);
    }
  }

  @Test
  void existingCommandsStillWork() {
    assertEquals(0, run("check", "--help").exit());
    assertEquals(0, run("run", "--help").exit());
    assertEquals(0, run("demo-backend", "--help").exit());
    Run top = run("--help");
    assertEquals(0, top.exit());
    assertTrue(String.join("\n", top.out()).contains("status"), top.out().toString());
  }
}

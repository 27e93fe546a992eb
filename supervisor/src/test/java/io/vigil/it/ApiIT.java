package io.vigil.it;

import static io.vigil.instance.InstanceState.READY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.config.ConfigInvalidException;
import io.vigil.config.ConfigLoader;
import io.vigil.config.Problem;
import io.vigil.instance.Transition;
import io.vigil.it.ApiClient.Reply;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status API over real sockets, in front of a real supervisor with real processes. */
class ApiIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SLEEP = "[sh, -c, \"exec sleep 300\"]";
  private static final String HEADER =
      "vigil { state-dir = \"state\", sample-interval = 200ms }\nservices {\n";

  @TempDir Path dir;
  private ApiFixture f;

  @AfterEach
  void tearDown() throws Exception {
    if (f != null) {
      try {
        f.client.assertNothingLeaked();
      } finally {
        f.close();
      }
    }
  }

  // ---- status -----------------------------------------------------------------------------

  @Test
  void servicesAndInstancesHaveTheDocumentedShape() throws Exception {
    int port = Host.freePort();
    f = new ApiFixture(dir, "web { command = " + SLEEP + ", instances = 2, port = " + port
        + " }\nworker { command = " + SLEEP + " }");
    f.h.awaitAll(WAIT, READY, "web/0", "web/1", "worker/0");

    Reply all = f.client.get("/v1/services");
    assertEquals(200, all.status(), all.toString());
    assertTrue(all.contentType().startsWith("application/json"), all.contentType());
    JsonNode services = all.json().get("services");
    assertEquals(List.of("web", "worker"), names(services, "name"));
    JsonNode web = services.get(0);
    assertEquals(Set.of("name", "desired", "ready", "failed", "instances"), fields(web));
    assertEquals(2, web.get("desired").asInt());
    assertEquals(2, web.get("ready").asInt());
    assertEquals(0, web.get("failed").asInt());

    JsonNode one = f.client.get("/v1/services/web/instances/1").json();
    assertEquals(Set.of("service", "id", "state", "ready", "pid", "port", "startedAt",
        "uptimeSeconds", "restarts", "lastExit", "probes", "cpuSeconds", "residentBytes",
        "loadBalancer"), fields(one));
    assertTrue(one.get("loadBalancer").isNull(), "no load balancer here: " + one);
    assertEquals("web", one.get("service").asText());
    assertEquals(1, one.get("id").asInt());
    assertEquals("READY", one.get("state").asText());
    assertTrue(one.get("ready").asBoolean());
    assertEquals((long) f.h.view("web", 1).pid(), one.get("pid").asLong());
    assertEquals(port + 1, one.get("port").asInt());
    assertTrue(one.get("startedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
        one.toString());
    assertTrue(one.get("uptimeSeconds").asDouble() >= 0);
    assertTrue(one.get("lastExit").isNull());
    assertEquals(0, one.get("probes").size());
    assertTrue(f.client.get("/v1/services/worker").json().get("instances").get(0)
        .get("port").isNull());
    assertEquals("web", f.client.get("/v1/services/web").json().get("name").asText());
  }

  @Test
  void unknownNamesAre404AndBadParametersAre400AsProblems() throws Exception {
    f = new ApiFixture(dir, "web { command = " + SLEEP + " }");
    f.h.await(WAIT, "web/0", READY);

    Reply missing = f.client.get("/v1/services/nope");
    assertProblem(missing, 404, "Not Found");
    assertEquals("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
        + "\"detail\":\"no service 'nope'\"}", missing.body());
    assertEquals("no instance web/5",
        assertProblem(f.client.get("/v1/services/web/instances/5"), 404, "Not Found"));
    assertProblem(f.client.post("/v1/services/nope/restart"), 404, "Not Found");
    assertProblem(f.client.post("/v1/services/web/instances/3/restart"), 404, "Not Found");
    assertProblem(f.client.get("/v1/nothing-here"), 404, "Not Found");

    assertProblem(f.client.get("/v1/services/web/instances/abc"), 400, "Bad Request");
    assertProblem(f.client.get("/v1/services/web/instances/-1"), 400, "Bad Request");
    assertProblem(f.client.get("/v1/services/Web_1"), 400, "Bad Request");
    assertProblem(f.client.get("/v1/events?since=garbage"), 400, "Bad Request");
    assertProblem(f.client.get("/v1/events?limit=0"), 400, "Bad Request");
    assertProblem(f.client.get("/v1/events?limit=1001"), 400, "Bad Request");
    assertProblem(f.client.get("/v1/events?service=..%2F"), 400, "Bad Request");

    for (String uri : List.of("/v1/services/web/logs?tail=%ZZ", "/%%%")) {
      String answer = f.client.raw("GET " + uri + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: close\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
      assertTrue(answer.contains("application/problem+json"), answer);
      assertTrue(answer.contains("\"detail\":\"malformed request URI\""), answer);
    }

    Reply delete = f.client.send(f.client.request("/v1/services").DELETE());
    assertProblem(delete, 405, "Method Not Allowed");
    assertTrue(delete.header("allow").contains("GET"), delete.headers().toString());
  }

  // ---- actions ----------------------------------------------------------------------------

  @Test
  void actionsAreAcceptedAndARollingRestartCannotRunTwice() throws Exception {
    // Readiness takes about a second after each start, so a rolling restart of two instances
    // runs for seconds: long enough to ask again while it runs.
    f = new ApiFixture(dir, "slow { command = " + SLEEP + ", instances = 2\n"
        + " probes { readiness { exec { command = [\"true\"] }, initial-delay = 1s,"
        + " period = 1s, timeout = 500ms } } }");
    // Their readiness checks run side by side: either may pass first
    Map<String, Transition> first = f.h.awaitAll(WAIT, READY, "slow/0", "slow/1");
    long first0 = first.get("slow/0").pid();
    long first1 = first.get("slow/1").pid();

    Reply restart = f.client.post("/v1/services/slow/restart");
    assertEquals(202, restart.status(), restart.toString());
    assertEquals("{\"accepted\":true,\"action\":\"restart\",\"service\":\"slow\"}", restart.body());
    Reply again = f.client.post("/v1/services/slow/restart");
    assertTrue(assertProblem(again, 409, "Conflict").contains("already in progress"));
    f.h.await(WAIT, "slow/1", READY);
    assertNotEquals(first0, f.h.view("slow", 0).pid());
    assertNotEquals(first1, f.h.view("slow", 1).pid());

    long before = f.h.view("slow", 0).pid();
    Reply one = f.client.post("/v1/services/slow/instances/0/restart");
    assertEquals(202, one.status(), one.toString());
    assertEquals("{\"accepted\":true,\"action\":\"restart\",\"service\":\"slow\",\"instance\":0}",
        one.body());
    assertNotEquals(before, f.h.await(WAIT, "slow/0", READY).pid());

    assertEquals(202, f.client.post("/v1/services/slow/stop").status());
    // Both stop in parallel, in either order: watch the API rather than the event order
    assertTrue(Host.eventually(WAIT, () -> states("slow").equals(List.of("EXITED", "EXITED"))));
    assertEquals(0, readyCount("slow"));
    Reply start = f.client.post("/v1/services/slow/start");
    assertEquals("{\"accepted\":true,\"action\":\"start\",\"service\":\"slow\"}", start.body());
    assertTrue(Host.eventually(WAIT, () -> readyCount("slow") == 2));
  }

  private List<String> states(String service) {
    try {
      return names(f.client.get("/v1/services/" + service).json().get("instances"), "state");
    } catch (Exception e) {
      return List.of();
    }
  }

  private int readyCount(String service) {
    try {
      return f.client.get("/v1/services/" + service).json().get("ready").asInt();
    } catch (Exception e) {
      return -1;
    }
  }

  // ---- reload -----------------------------------------------------------------------------

  @Test
  void anInvalidReloadIsRefusedWithEveryProblemAndAValidOneIsApplied() throws Exception {
    f = new ApiFixture(dir, "keep { command = " + SLEEP + " }");
    long keep = f.h.await(WAIT, "keep/0", READY).pid();
    Path conf = dir.resolve("vigil.conf");

    // An invalid file: refused with the same lines as `vigil check`, nothing changes
    Files.writeString(conf, HEADER + "keep { command = " + SLEEP + " }\n"
        + "bad {\n  comand = [x]\n  instances = 0\n}\n}\n");
    List<String> expected = checkLines(conf);
    Reply refused = f.client.post("/v1/reload");
    assertProblem(refused, 400, "Bad Request");
    assertEquals(expected, names(refused.json().get("errors"), null));
    assertEquals(3, expected.size(), expected.toString());
    assertEquals(List.of("keep"), names(f.client.get("/v1/services").json().get("services"),
        "name"));
    assertEquals(keep, f.h.view("keep", 0).pid());

    // A valid one: applied as a diff
    Files.writeString(conf, HEADER + "keep { command = " + SLEEP + " }\n"
        + "added { command = " + SLEEP + " }\n}\n");
    Reply applied = f.client.post("/v1/reload");
    assertEquals(200, applied.status(), applied.toString());
    assertEquals("{\"added\":[\"added\"],\"removed\":[],\"changed\":[],\"unchanged\":[\"keep\"]}",
        applied.body());
    f.h.await(WAIT, "added/0", READY);
    assertEquals(keep, f.h.view("keep", 0).pid());
    assertEquals(List.of("keep", "added"),
        names(f.client.get("/v1/services").json().get("services"), "name"));
  }

  private static List<String> checkLines(Path conf) {
    try {
      ConfigLoader.load(conf, Harness.runtime());
      throw new AssertionError("expected an invalid config");
    } catch (ConfigInvalidException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }

  // ---- logs -------------------------------------------------------------------------------

  @Test
  void logsGiveTheLastLinesOfTheChosenStreamAndNothingElse() throws Exception {
    f = new ApiFixture(dir, "talker { command = [sh, -c, \"i=1; while [ $i -le 300 ]; do "
        + "echo line $i; i=$((i+1)); done; echo oops >&2; exec sleep 300\"] }");
    f.h.await(WAIT, "talker/0", READY);
    assertTrue(Host.eventually(WAIT, () -> logs("?instance=0&tail=3").endsWith("line 300\n")));

    Reply three = f.client.get("/v1/services/talker/logs?instance=0&tail=3");
    assertEquals("line 298\nline 299\nline 300\n", three.body());
    assertTrue(three.contentType().startsWith("text/plain"), three.contentType());
    assertEquals(100, logs("").lines().count());
    assertEquals("line 201", logs("").lines().findFirst().orElseThrow());
    assertEquals(300, logs("?tail=10000").lines().count());
    // stderr is a stream of its own: "oops" may be logged a moment after stdout's last line
    assertTrue(Host.eventually(WAIT, () -> logs("?stream=stderr").equals("oops\n")),
        logs("?stream=stderr"));

    String logs = "/v1/services/talker/logs";
    assertProblem(f.client.get(logs + "?tail=-1"), 400, "Bad Request");
    assertProblem(f.client.get(logs + "?tail=10001"), 400, "Bad Request");
    assertProblem(f.client.get(logs + "?instance=abc"), 400, "Bad Request");
    assertProblem(f.client.get(logs + "?instance="
        + URLEncoder.encode("../../etc/passwd", StandardCharsets.UTF_8)), 400, "Bad Request");
    assertProblem(f.client.get(logs + "?stream=" + URLEncoder.encode("/etc/passwd",
        StandardCharsets.UTF_8)), 400, "Bad Request");
    assertProblem(f.client.get(logs + "?instance=7"), 404, "Not Found");
    Reply dots = f.client.get("/v1/services/%2E%2E/logs");
    assertTrue(dots.status() == 400 || dots.status() == 404, dots.toString());
    Reply slash = f.client.get("/v1/services/..%2F..%2Fetc/logs");
    assertTrue(slash.status() == 400 || slash.status() == 404, slash.toString());
    assertTrue(!dots.body().contains("root:") && !slash.body().contains("root:"));
  }

  private String logs(String query) {
    try {
      return f.client.get("/v1/services/talker/logs" + query).body();
    } catch (Exception e) {
      return "";
    }
  }

  // ---- events -----------------------------------------------------------------------------

  @Test
  void eventsAreListedOldestFirstAndFiltered() throws Exception {
    f = new ApiFixture(dir, "sleeper { command = " + SLEEP + " }\nother { command = " + SLEEP
        + " }");
    long pid = f.h.awaitAll(WAIT, READY, "sleeper/0", "other/0").get("sleeper/0").pid();

    JsonNode events = f.client.get("/v1/events?service=sleeper").json().get("events");
    assertEquals(List.of("STARTING", "READY"), names(events, "to"));
    JsonNode ready = events.get(1);
    assertEquals(Set.of("time", "kind", "service", "instance", "from", "to", "reason", "pid",
        "exitCode", "signal", "until"), fields(ready));
    assertEquals("transition", ready.get("kind").asText());
    assertTrue(ready.get("until").isNull());
    assertEquals("sleeper", ready.get("service").asText());
    assertEquals(0, ready.get("instance").asInt());
    assertEquals("STARTING", ready.get("from").asText());
    assertEquals(pid, ready.get("pid").asLong());
    assertTrue(ready.get("exitCode").isNull());

    assertEquals(4, f.client.get("/v1/events").json().get("events").size());
    JsonNode newest = f.client.get("/v1/events?limit=1").json().get("events");
    assertEquals(1, newest.size());
    assertEquals("READY", newest.get(0).get("to").asText());
    String future = Instant.now().plusSeconds(3600).toString();
    assertEquals(0, f.client.get("/v1/events?since=" + future).json().get("events").size());
    assertEquals(0, f.client.get("/v1/events?service=nobody").json().get("events").size());
  }

  @Test
  void theEventStreamSendsATransitionWhenAnInstanceIsKilled() throws Exception {
    f = new ApiFixture(dir, "sleeper { command = " + SLEEP + " }");
    long pid = f.h.await(WAIT, "sleeper/0", READY).pid();

    try (SseReader sse = new SseReader(f.client, "/v1/events/stream")) {
      assertEquals(200, sse.status);
      assertTrue(sse.contentType.startsWith("text/event-stream"), sse.contentType);
      sse.awaitLine(l -> l.startsWith(":"), WAIT); // subscribed

      Host.signal(pid, "KILL");

      JsonNode exited = sse.awaitTransition(t -> t.get("to").asText().equals("EXITED"), WAIT);
      assertEquals("sleeper", exited.get("service").asText());
      assertEquals(pid, exited.get("pid").asLong());
      assertEquals(9, exited.get("signal").asInt());
      assertEquals("exited: killed by SIGKILL", exited.get("reason").asText());
      sse.awaitTransition(t -> t.get("to").asText().equals("READY"), WAIT);
    }
  }

  // ---- auth and limits --------------------------------------------------------------------

  @Test
  void withATokenActionsLogsAndEventsNeedItAndStatusStaysOpen() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "s3cret-token\n");
    Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions
        .fromString("rw-------"));
    f = new ApiFixture(dir, "sleeper { command = " + SLEEP + " }", java.util.Optional.of(token));
    f.h.await(WAIT, "sleeper/0", READY);
    String[] right = {"Authorization", "Bearer s3cret-token"};
    String[] wrong = {"Authorization", "Bearer s3cret-tokem"};

    for (String open : List.of("/v1/services", "/v1/services/sleeper", "/healthz", "/readyz",
        "/v1/version", "/", "/v1/openapi.json")) {
      assertEquals(200, f.client.get(open).status(), open);
    }

    Reply none = f.client.post("/v1/services/sleeper/restart");
    assertProblem(none, 401, "Unauthorized");
    assertTrue(none.header("www-authenticate").startsWith("Bearer"), none.headers().toString());
    Reply bad = f.client.post("/v1/services/sleeper/restart", wrong);
    assertProblem(bad, 401, "Unauthorized");
    assertTrue(bad.header("www-authenticate").contains("invalid_token"));
    assertProblem(f.client.post("/v1/services/sleeper/restart", "Authorization", "Basic eDp5"),
        401, "Unauthorized");
    assertProblem(f.client.post("/v1/reload"), 401, "Unauthorized");
    assertProblem(f.client.post("/v1/services/sleeper/stop?access_token=s3cret-token"), 401,
        "Unauthorized");
    assertEquals(202, f.client.post("/v1/services/sleeper/restart", right).status());

    String logs = "/v1/services/sleeper/logs";
    assertProblem(f.client.get(logs), 401, "Unauthorized");
    assertProblem(f.client.get(logs + "?access_token=s3cret-token"), 401, "Unauthorized");
    assertEquals(200, f.client.get(logs, right).status());

    assertProblem(f.client.get("/v1/events"), 401, "Unauthorized");
    assertProblem(f.client.get("/v1/events", wrong), 401, "Unauthorized");
    assertProblem(f.client.get("/v1/events?access_token=wrong"), 401, "Unauthorized");
    assertEquals(200, f.client.get("/v1/events?access_token=s3cret-token").status());
    assertEquals(200, f.client.get("/v1/events", right).status());

    assertProblem(f.client.get("/v1/events/stream"), 401, "Unauthorized");
    try (SseReader sse = new SseReader(f.client, "/v1/events/stream?access_token=s3cret-token")) {
      assertEquals(200, sse.status);
    }
  }

  @Test
  void oversizedBodiesAre413() throws Exception {
    f = new ApiFixture(dir, "sleeper { command = " + SLEEP + " }");
    f.h.await(WAIT, "sleeper/0", READY);
    byte[] big = new byte[100 * 1024];

    Reply sized = f.client.send(f.client.request("/v1/services/sleeper/restart")
        .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
    assertProblem(sized, 413, null);
    Reply chunked = f.client.send(f.client.request("/v1/services/sleeper/restart")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
    assertProblem(chunked, 413, null);
    Reply small = f.client.send(f.client.request("/v1/services/sleeper/restart")
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(202, small.status(), small.toString());
  }

  // ---- health, version, documents and the page ---------------------------------------------

  @Test
  void healthVersionOpenApiAndThePageAreServed() throws Exception {
    f = new ApiFixture(dir, "sleeper { command = " + SLEEP + " }");

    assertEquals("{\"status\":\"ok\"}", f.client.get("/healthz").body());
    assertEquals("{\"status\":\"ok\"}", f.client.get("/readyz").body());
    assertTrue(f.client.get("/v1/version").json().get("version").isTextual());
    assertEquals("3.1.0", f.client.get("/v1/openapi.json").json().get("openapi").asText());

    Reply page = f.client.get("/");
    assertEquals(200, page.status());
    assertTrue(page.contentType().startsWith("text/html"), page.contentType());
    assertTrue(page.body().contains("<title>Vigil</title>"));
    assertTrue(page.header("content-security-policy").contains("default-src 'none'"));
    assertEquals(page.body(), f.client.get("/index.html").body());
    assertTrue(f.client.get("/app.js").contentType().startsWith("text/javascript"));
    assertTrue(f.client.get("/style.css").contentType().startsWith("text/css"));
    for (String asset : List.of("/", "/app.js", "/style.css")) {
      String body = f.client.get(asset).body();
      assertTrue(!body.contains("http://") && !body.contains("https://"),
          asset + " must not load anything from elsewhere");
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** Checks a problem+json answer; returns its detail. */
  private static String assertProblem(Reply r, int status, String title) {
    assertEquals(status, r.status(), r.toString());
    assertTrue(r.contentType() != null && r.contentType().startsWith("application/problem+json"),
        r.toString());
    JsonNode p = r.json();
    assertEquals("about:blank", p.get("type").asText());
    assertEquals(status, p.get("status").asInt());
    if (title != null) {
      assertEquals(title, p.get("title").asText());
    }
    assertTrue(p.get("detail").isTextual(), r.toString());
    return p.get("detail").asText();
  }

  private static Set<String> fields(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The values of one field of each element (or the elements themselves for null). */
  private static List<String> names(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
      JsonNode n = it.next();
      out.add(field == null ? n.asText() : n.get(field).asText());
    }
    return out;
  }

  /** Reads a Server-Sent Events stream line by line on a background thread. */
  static final class SseReader implements AutoCloseable {
    final int status;
    final String contentType;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Stream<String> body;
    private final Thread reader;

    SseReader(ApiClient client, String path) throws Exception {
      CompletableFuture<HttpResponse<Stream<String>>> sent = client.http.sendAsync(
          HttpRequest.newBuilder(client.uri(path)).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofLines());
      HttpResponse<Stream<String>> response = sent.get(10, TimeUnit.SECONDS);
      this.status = response.statusCode();
      this.contentType = response.headers().firstValue("content-type").orElse("");
      this.body = response.body();
      this.reader = new Thread(() -> {
        try {
          body.forEach(lines::add);
        } catch (RuntimeException e) {
          // closed by the test
        }
      }, "sse-reader");
      reader.setDaemon(true);
      reader.start();
    }

    String awaitLine(java.util.function.Predicate<String> test, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<String> seen = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null) {
          seen.add(line);
          if (test.test(line)) {
            return line;
          }
        }
      }
      return fail("no matching line within " + timeout + "; seen " + seen);
    }

    JsonNode awaitTransition(java.util.function.Predicate<JsonNode> test, Duration timeout)
        throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      boolean named = false;
      while (System.nanoTime() < deadline) {
        String line = awaitLine(l -> true, Duration.ofNanos(deadline - System.nanoTime()));
        if (line.equals("event: transition")) {
          named = true;
        } else if (named && line.startsWith("data:")) {
          JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(line.substring("data:".length()).trim());
          if (test.test(event)) {
            return event;
          }
          named = false;
        }
      }
      return fail("no matching transition within " + timeout);
    }

    @Override
    public void close() {
      body.close();
      reader.interrupt();
    }
  }
}

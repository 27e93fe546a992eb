package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steady load through Vigil's load balancer while instances are killed (SIGKILL) and frozen
 * (SIGSTOP), with one instance ready at all times. GETs (idempotent): none may fail, and none may
 * wait much longer than the per-try timeout. POSTs (not idempotent, no idempotency marker): a
 * POST that reached an instance that then died or froze cannot be retried, so some fail; the test
 * counts them and holds them to the bound that follows from that (see {@link #bound}). A POST
 * that never reached an instance (connection refused) is retried, so every failure must be a
 * 502 or 504 answered for a try that was sent. Bounded in requests and time.
 */
class LoadBalancerChaosIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern API = Pattern.compile("status on http://127\\.0\\.0\\.1:(\\d+)/");
  private static final Pattern LB = Pattern.compile("load balancer for web on 127\\.0\\.0\\.1:(\\d+)");
  /** POST clients, each with one request at a time: at most this many POSTs in flight. */
  private static final int POST_CLIENTS = 4;
  /** GET clients, each with one request at a time. */
  private static final int GET_CLIENTS = 1;
  private static final Duration PER_TRY = Duration.ofMillis(400);
  /** KILL web/0, STOP web/0, KILL web/1, STOP web/1, ... */
  private static final int ROUNDS = 6;
  /**
   * Each instance takes this long per request, so that a kill finds requests in flight to it
   * (the demo answers in microseconds otherwise, and kills would cost nothing).
   */
  private static final int SERVICE_MILLIS = 50;
  /** Readiness probe: its period, timeout and failures in a row that take an instance out. */
  private static final Duration READINESS_PERIOD = Duration.ofMillis(300);
  private static final Duration READINESS_TIMEOUT = Duration.ofMillis(200);
  /**
   * Two failures in a row, not one: /readyz itself takes {@link #SERVICE_MILLIS} once slowed
   * down, so on a loaded machine a single late answer would take a healthy instance out.
   */
  private static final int READINESS_FAILURES = 2;
  /**
   * A frozen instance is out of rotation at most this long after the freeze: the check launched
   * just before the freeze passes, the next {@link #READINESS_FAILURES} checks (one period apart,
   * counted from each launch) time out, the last one a timeout after its launch.
   */
  private static final Duration READINESS_DETECTION = READINESS_PERIOD
      .multipliedBy(READINESS_FAILURES).plus(READINESS_TIMEOUT);

  @TempDir Path dir;
  private final List<Long> pids = new ArrayList<>();

  /**
   * One fault: the signal, the instance's index, when it was sent (System.nanoTime), and the
   * requests in flight to the instance just before, as its load balancer said.
   */
  record Fault(String signal, int index, long atNanos, int lbInFlight) {}

  @AfterEach
  void cleanUp() throws Exception {
    pids.forEach(Host::killGroup);
    // Instances outlive a Vigil that a failed test killed (VigilProcess.close): end them too
    Path state = dir.resolve("state/instances.tsv");
    if (Files.exists(state)) {
      for (String line : Files.readAllLines(state)) {
        String[] f = line.split("\t");
        if (!line.startsWith("#") && f.length > 2) {
          long pid = Long.parseLong(f[2]);
          if (Host.alive(pid) && Host.pgid(pid).orElse(-1L) == pid) {
            Host.killGroup(pid);
          }
        }
      }
    }
  }

  @Test
  void killedAndFrozenInstancesCostNoIdempotentRequestAndFewNonIdempotentOnes() throws Exception {
    int port = Host.freePortPair(); // web/1 listens on port + 1: both must be free
    Path conf = dir.resolve("vigil.conf");
    Files.writeString(conf, "vigil { state-dir = state, api.listen = \"127.0.0.1:0\","
        + " metrics.listen = \"127.0.0.1:0\" }\nservices {\n web {\n"
        + "  command = " + Harness.demoCommand() + "\n  instances = 2\n  port = " + port + "\n"
        + "  stop { grace-period = 1s }\n"
        + "  probes {\n"
        + "   startup { http { path = /healthz }, period = 200ms, timeout = 150ms, failure-threshold = 100 }\n"
        + "   liveness { http { path = /healthz }, period = 500ms, timeout = 300ms, failure-threshold = 2 }\n"
        + "   readiness { http { path = /readyz }, period = " + READINESS_PERIOD.toMillis()
        + "ms, timeout = " + READINESS_TIMEOUT.toMillis() + "ms, failure-threshold = "
        + READINESS_FAILURES + " }\n"
        + "  }\n"
        + "  restart { backoff { initial = 100ms, max = 200ms } }\n"
        // every client may have a retry in flight at once: the retry budget never refuses one
        + "  load-balancer { listen = \"127.0.0.1:0\", retries { per-try-timeout = "
        + PER_TRY.toMillis() + "ms, min-retry-concurrency = " + (GET_CLIENTS + POST_CLIENTS)
        + " } }\n"
        + " }\n}\n");
    try (VigilProcess vigil = VigilProcess.start(dir, "vigil.log", "run", "--config", conf.toString())) {
      assertTrue(Host.eventually(WAIT, () -> LB.matcher(vigil.log()).find()
          && API.matcher(vigil.log()).find()), vigil.log());
      Matcher m = LB.matcher(vigil.log());
      assertTrue(m.find());
      URI uri = URI.create("http://127.0.0.1:" + m.group(1) + "/");
      Matcher status = API.matcher(vigil.log());
      assertTrue(status.find(), vigil.log());
      ApiClient api = new ApiClient(Integer.parseInt(status.group(1)));
      assertTrue(Host.eventually(WAIT, () -> BalancedVigil.readyInRotation(api, 2)), vigil.log());

      ClosedLoopLoad gets = new ClosedLoopLoad("chaos-get", GET_CLIENTS,
          n -> HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build());
      ClosedLoopLoad posts = new ClosedLoopLoad("chaos-post", POST_CLIENTS,
          n -> HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString("order " + n)).build());
      List<Fault> faults = new ArrayList<>();
      slowDown(port);
      gets.start();
      posts.start();
      try {
        for (int round = 0; round < ROUNDS; round++) {
          int index = (round / 2) % 2;
          String signal = round % 2 == 0 ? "KILL" : "STOP";
          JsonNode before = api.get("/v1/services/web/instances/" + index).json();
          long victim = before.path("pid").asLong();
          assertTrue(victim > 0, before.toString());
          pids.add(victim);
          int inFlight = before.path("loadBalancer").path("inFlight").asInt();
          faults.add(new Fault(signal, index, System.nanoTime(), inFlight));
          Host.signal(victim, signal);
          // wait until the victim was replaced (a kill restarts it, a freeze fails its liveness
          // probe) and both instances are READY and in rotation again before the next fault
          assertTrue(Host.eventually(WAIT, () -> replacedAndAllReady(api, index, victim)),
              vigil.log());
          slowDown(port);
          Thread.sleep(500);
        }
      } finally {
        gets.stop();
        posts.stop();
      }
      report(gets, posts, faults);
      assertTrue(vigil.log().contains("killed by SIGKILL"), vigil.log());
      assertTrue(vigil.log().contains("liveness probe failed"), vigil.log());
      assertTrue(gets.ok() > 20, "too little GET load got through: " + gets.ok());
      assertTrue(posts.ok() > 20, "too little POST load got through: " + posts.ok());
      assertEquals(List.of(), gets.failures(), "failed GETs\n" + vigil.log());
      assertTrue(gets.slowestMillis() < 3000, "a GET waited " + gets.slowestMillis() + " ms");
      assertPostFailuresBounded(posts, faults, vigil);
      assertLoadBalancerMetrics(vigil);
      vigil.process.destroy();
      assertTrue(vigil.process.waitFor(20, TimeUnit.SECONDS));
    }
  }

  /**
   * The most POSTs a fault may cost. SIGKILL: only a POST in flight to the instance when it died
   * can fail (one sent later finds the port closed: connect failure, retried), and each client
   * has at most one in flight: {@link #POST_CLIENTS}. SIGSTOP: the kernel still accepts for the
   * frozen process, so every POST sent to it until it leaves rotation (at most {@link
   * #READINESS_DETECTION} after the freeze) fails after the per-try timeout; a client can send at
   * most 1 + (detection / per-try) of those one after another.
   */
  static int bound(String signal) {
    if (signal.equals("KILL")) {
      return POST_CLIENTS;
    }
    long perClient = 1 + (READINESS_DETECTION.toMillis() + PER_TRY.toMillis() - 1)
        / PER_TRY.toMillis();
    return (int) (POST_CLIENTS * perClient);
  }

  /** Each failed POST is charged to the last fault before it ended. */
  private static Map<Fault, List<ClosedLoopLoad.Result>> byFault(ClosedLoopLoad posts,
      List<Fault> faults) {
    Map<Fault, List<ClosedLoopLoad.Result>> charged = new LinkedHashMap<>();
    faults.forEach(f -> charged.put(f, new ArrayList<>()));
    for (ClosedLoopLoad.Result r : posts.failures()) {
      Fault last = null;
      for (Fault f : faults) {
        if (f.atNanos() <= r.endNanos()) {
          last = f;
        }
      }
      charged.computeIfAbsent(last, unused -> new ArrayList<>()).add(r);
    }
    return charged;
  }

  private static void assertPostFailuresBounded(ClosedLoopLoad posts, List<Fault> faults,
      VigilProcess vigil) {
    Map<Fault, List<ClosedLoopLoad.Result>> charged = byFault(posts, faults);
    assertEquals(List.of(), charged.getOrDefault(null, List.of()),
        "POSTs failed before any fault");
    for (ClosedLoopLoad.Result r : posts.failures()) {
      assertTrue(r.status() == 502 || r.status() == 504,
          "a POST failed other than for a try that reached an instance: " + r + "\n"
              + vigil.log());
    }
    charged.forEach((fault, failed) -> assertTrue(failed.size() <= bound(fault.signal()),
        "SIG" + fault.signal() + " of web/" + fault.index() + " cost " + failed.size()
            + " POSTs, more than " + bound(fault.signal()) + ": " + failed));
  }

  private static void report(ClosedLoopLoad gets, ClosedLoopLoad posts, List<Fault> faults) {
    System.out.printf("chaos: GET %d ok, %d failed, slowest %d ms%n", gets.ok(),
        gets.failures().size(), gets.slowestMillis());
    System.out.printf("chaos: POST %d ok, %d failed, slowest %d ms (%d clients)%n", posts.ok(),
        posts.failures().size(), posts.slowestMillis(), posts.clients);
    byFault(posts, faults).forEach((fault, failed) -> System.out.printf(
        "chaos:   %s: %d requests in flight to it just before, %d POSTs in flight in all;"
            + " %d POSTs failed %s (bound %d)%n",
        fault == null ? "no fault" : "SIG" + fault.signal() + " web/" + fault.index(),
        fault == null ? 0 : fault.lbInFlight(),
        fault == null ? 0 : posts.results().stream()
            .filter(r -> r.inFlightAt(fault.atNanos())).count(),
        failed.size(), failed, fault == null ? 0 : bound(fault.signal())));
  }

  private static final Pattern METRICS = Pattern.compile("metrics on (http://[0-9.:]+/metrics)");

  /** The data path's counters reach /metrics, and promtool (when installed) accepts them. */
  private void assertLoadBalancerMetrics(VigilProcess vigil) throws Exception {
    Matcher m = METRICS.matcher(vigil.log());
    assertTrue(m.find(), vigil.log());
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1)))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher ok = Pattern.compile("vigil_lb_requests_total\\{code=\"2xx\",service=\"web\"\\} (\\d+)")
        .matcher(text);
    assertTrue(ok.find() && Double.parseDouble(ok.group(1)) > 20, text);
    assertTrue(text.contains("vigil_lb_in_flight_requests{index=\"0\",service=\"web\"}"), text);
    assertTrue(text.contains("vigil_lb_instance_ejected{"), text);
    if (PromtoolIT.onPath("promtool")) {
      Process p = new ProcessBuilder("promtool", "check", "metrics")
          .redirectErrorStream(true).start();
      p.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals("", out.strip(), "promtool check metrics");
      assertEquals(0, p.exitValue());
    }
  }

  /** Both instances (a new one after a restart too) take {@link #SERVICE_MILLIS} per request. */
  private static void slowDown(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int p = port; p <= port + 1; p++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + p + "/fault/slow?ms=" + SERVICE_MILLIS)).timeout(Duration.ofSeconds(5))
          .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
    }
  }

  /**
   * Instance {@code index} of web runs a process other than {@code old}, and both instances are
   * READY and in rotation: all in one answer of the API (two could each be true at another time:
   * the old process still READY in the first, the new one just STARTING in the second).
   */
  private static boolean replacedAndAllReady(ApiClient api, int index, long old) {
    try {
      JsonNode web = api.get("/v1/services/web").json();
      for (JsonNode instance : web.path("instances")) {
        if (instance.path("id").asInt() == index) {
          JsonNode pid = instance.path("pid");
          return pid.isIntegralNumber() && pid.asLong() != old
              && BalancedVigil.readyInRotation(web, 2);
        }
      }
      return false;
    } catch (Exception notYet) {
      return false;
    }
  }
}

package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steady GET load through Vigil's load balancer while instances are killed (SIGKILL) and frozen
 * (SIGSTOP), with one instance ready at all times: no idempotent request may fail, and none may
 * wait much longer than the per-try timeout. Bounded in requests and time.
 */
class LoadBalancerChaosIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern LB = Pattern.compile("load balancer for web on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path dir;
  private final List<Long> pids = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    pids.forEach(Host::killGroup);
  }

  @Test
  void killedAndFrozenInstancesCostNoIdempotentRequest() throws Exception {
    int port = Host.freePort();
    Path conf = dir.resolve("vigil.conf");
    Files.writeString(conf, "vigil { state-dir = state, api.listen = \"127.0.0.1:0\","
        + " metrics.listen = \"127.0.0.1:0\" }\nservices {\n web {\n"
        + "  command = " + Harness.demoCommand() + "\n  instances = 2\n  port = " + port + "\n"
        + "  stop { grace-period = 1s }\n"
        + "  probes {\n"
        + "   startup { http { path = /healthz }, period = 200ms, timeout = 150ms, failure-threshold = 100 }\n"
        + "   liveness { http { path = /healthz }, period = 500ms, timeout = 300ms, failure-threshold = 2 }\n"
        + "   readiness { http { path = /readyz }, period = 300ms, timeout = 200ms, failure-threshold = 1 }\n"
        + "  }\n"
        + "  restart { backoff { initial = 100ms, max = 200ms } }\n"
        + "  load-balancer { listen = \"127.0.0.1:0\", retries { per-try-timeout = 400ms } }\n"
        + " }\n}\n");
    try (VigilProcess vigil = VigilProcess.start(dir, "vigil.log", "run", "--config", conf.toString())) {
      assertTrue(Host.eventually(WAIT, () -> LB.matcher(vigil.log()).find()
          && vigil.count("-> READY") >= 2), vigil.log());
      Matcher m = LB.matcher(vigil.log());
      assertTrue(m.find());
      URI uri = URI.create("http://127.0.0.1:" + m.group(1) + "/");

      Load load = new Load(uri);
      Thread client = new Thread(load::run, "chaos-client");
      client.start();
      try {
        for (int round = 0; round < 2; round++) {
          long victim = readyPid(vigil, round % 2);
          pids.add(victim);
          Host.signal(victim, round == 0 ? "KILL" : "STOP");
          // wait until both instances are READY again before the next fault
          int readyBefore = (int) vigil.count("-> READY");
          assertTrue(Host.eventually(WAIT, () -> vigil.count("-> READY") > readyBefore), vigil.log());
          Thread.sleep(500);
        }
      } finally {
        load.stop();
        client.join(20_000);
      }
      System.out.printf("chaos: %d ok, %d failed, slowest %d ms%n", load.ok.get(),
          load.failed.get(), load.slowestMillis.get());
      assertTrue(vigil.log().contains("killed by SIGKILL"), vigil.log());
      assertTrue(vigil.log().contains("liveness probe failed"), vigil.log());
      assertTrue(load.ok.get() > 20, "too little load got through: " + load.ok.get());
      assertEquals(0, load.failed.get(), "failed requests: " + load.lastFailure + "\n" + vigil.log());
      assertTrue(load.slowestMillis.get() < 3000,
          "a request waited " + load.slowestMillis.get() + " ms");
      assertLoadBalancerMetrics(vigil);
      vigil.process.destroy();
      assertTrue(vigil.process.waitFor(20, TimeUnit.SECONDS));
    }
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

  /** The pid of the instance with this index, from the state file. */
  private long readyPid(VigilProcess vigil, int index) throws Exception {
    for (String line : Files.readAllLines(dir.resolve("state/instances.tsv"))) {
      String[] f = line.split("\t");
      if (!line.startsWith("#") && f.length > 2 && f[1].equals(Integer.toString(index))) {
        return Long.parseLong(f[2]);
      }
    }
    throw new AssertionError("no instance " + index + "\n" + vigil.log());
  }

  /** GETs one after another, at most 5000 requests or 60 s. */
  private static final class Load {
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    final URI uri;
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicLong slowestMillis = new AtomicLong();
    volatile boolean stopped;
    volatile String lastFailure = "";

    Load(URI uri) {
      this.uri = uri;
    }

    void run() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (int i = 0; i < 5000 && !stopped && System.nanoTime() < deadline; i++) {
        long start = System.nanoTime();
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            ok.incrementAndGet();
          } else {
            failed.incrementAndGet();
            lastFailure = r.statusCode() + " " + r.body();
          }
        } catch (java.io.IOException e) {
          failed.incrementAndGet();
          lastFailure = e.toString();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
        try {
          Thread.sleep(5); // steady, not flat-out: bounded load on a 2-core CI machine
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    void stop() {
      stopped = true;
    }
  }
}

package io.vigil.it;

import static io.vigil.instance.InstanceState.READY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.config.ListenAddress;
import io.vigil.metrics.Dashboards;
import io.vigil.metrics.VigilMetrics;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus's own linter on a real scrape and on the alert rules, and the rules' unit tests
 * ({@code dashboards/vigil-alerts.test.yml}). Skipped when promtool is not installed.
 */
class PromtoolIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  record Result(int exitCode, String output) {}

  @BeforeEach
  void promtoolIsInstalled() {
    assumeTrue(onPath("promtool"), "promtool is not on PATH: install the package `prometheus`"
        + " (apt-get install prometheus) to run PromtoolIT");
  }

  @Test
  void realScrapePassesCheckMetrics() throws Exception {
    AtomicReference<VigilMetrics> metrics = new AtomicReference<>();
    try (Harness h = new Harness(dir, "sleeper {\n command = [sh, -c, \"exec sleep 300\"]\n"
        + " probes { liveness { exec { command = [\"true\"] }, period = 200ms, timeout = 150ms } }\n}",
        supervisor -> {
          metrics.set(new VigilMetrics(supervisor, supervisor::ping));
          supervisor.observe(metrics.get());
        });
        VigilMetrics m = metrics.get()) {
      m.serve(new ListenAddress("127.0.0.1", 0));
      h.await(WAIT, "sleeper/0", READY);
      // Wait for a probe (histogram) and a sample (CPU counter) so every family has samples
      assertTrue(Host.eventually(WAIT, () -> Scrapes.value(m.port(),
          "vigil_probe_duration_seconds_count", "service", "sleeper").isPresent()
          && Scrapes.value(m.port(), "vigil_instance_cpu_seconds_total").isPresent()));
      String scrape = Scrapes.get(m.port());

      Result r = promtool(scrape, "check", "metrics");

      assertEquals(new Result(0, ""), r, "promtool check metrics on:\n" + scrape);
    }
  }

  @Test
  void alertRulesPassCheckRules() throws Exception {
    Result r = promtool(null, "check", "rules", Dashboards.alerts().toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("SUCCESS"), r.output());
  }

  @Test
  void alertRulesPassTheirUnitTests() throws Exception {
    Result r = promtool(null, "test", "rules", Dashboards.alertTests().toString());
    assertEquals(0, r.exitCode(), r.output());
  }

  private static Result promtool(String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("promtool"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), out);
  }

  static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }
}

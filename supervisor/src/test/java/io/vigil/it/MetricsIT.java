package io.vigil.it;

import static io.vigil.instance.InstanceState.READY;
import static io.vigil.instance.InstanceState.STARTING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.config.ListenAddress;
import io.vigil.instance.Transition;
import io.vigil.metrics.Exposition;
import io.vigil.metrics.VigilMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics endpoint of a real in-process supervisor, read over HTTP. */
class MetricsIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void killedInstanceShowsAsARestartForExit() throws Exception {
    AtomicReference<VigilMetrics> metrics = new AtomicReference<>();
    // Given a supervised sleeper with an exec liveness probe, and its metrics on a free port
    try (Harness h = new Harness(dir, "sleeper {\n command = [sh, -c, \"exec sleep 300\"]\n"
        + " probes { liveness { exec { command = [\"true\"] }, period = 200ms, timeout = 150ms } }\n}",
        supervisor -> {
          metrics.set(new VigilMetrics(supervisor, supervisor::ping));
          supervisor.observe(metrics.get());
        });
        VigilMetrics m = metrics.get()) {
      m.serve(new ListenAddress("127.0.0.1", 0));
      int port = m.port();
      Transition ready = h.await(WAIT, "sleeper/0", READY);
      String[] sleeper0 = {"service", "sleeper", "index", "0"};
      assertEquals(Optional.of(0.0), Scrapes.value(port, "vigil_instance_restarts_total",
          "service", "sleeper", "index", "0", "reason", "exit"));
      // failures at 0 for the one probe it has, none for the others
      assertEquals(Optional.of(0.0), Scrapes.value(port, "vigil_probe_failures_total",
          "service", "sleeper", "index", "0", "probe", "liveness"));
      assertEquals(Optional.empty(), Scrapes.value(port, "vigil_probe_failures_total",
          "service", "sleeper", "index", "0", "probe", "readiness"));
      // When it is killed from outside
      Host.signal(ready.pid(), "KILL");
      h.await(WAIT, "sleeper/0", STARTING);
      // Then the scrape counts one restart for "exit", and the instance is up again
      assertTrue(Host.eventually(WAIT, () -> Scrapes.value(port, "vigil_instance_restarts_total",
          "service", "sleeper", "index", "0", "reason", "exit").equals(Optional.of(1.0))),
          Scrapes.get(port));
      assertTrue(Host.eventually(WAIT,
          () -> Scrapes.value(port, "vigil_instance_ready", sleeper0).equals(Optional.of(1.0))));
      String text = Scrapes.get(port);
      assertEquals(Optional.of(0.0), Exposition.value(text, "vigil_instance_restarts_total",
          "service", "sleeper", "index", "0", "reason", "liveness"));
      assertEquals(Optional.of(1.0), Exposition.value(text, "vigil_service_instances_desired",
          "service", "sleeper"));
      assertEquals(Optional.of(1.0), Exposition.value(text, "vigil_control_loop_responsive"));
      assertTrue(Host.eventually(WAIT, () -> Scrapes.value(port,
          "vigil_probe_duration_seconds_count", "service", "sleeper", "probe", "liveness")
          .orElse(0.0) >= 1), Scrapes.get(port));
    }
  }

  @Test
  void residentMemoryAndCpuOfTheInstanceAreSampled() throws Exception {
    AtomicReference<VigilMetrics> metrics = new AtomicReference<>();
    try (Harness h = new Harness(dir, "sleeper { command = [sh, -c, \"exec sleep 300\"] }",
        supervisor -> metrics.set(new VigilMetrics(supervisor)));
        VigilMetrics m = metrics.get()) {
      m.serve(new ListenAddress("127.0.0.1", 0));
      h.await(WAIT, "sleeper/0", READY);
      // The harness samples every 200 ms
      assertTrue(Host.eventually(WAIT, () -> Scrapes.value(m.port(),
          "vigil_instance_resident_memory_bytes", "service", "sleeper").orElse(0.0) > 0),
          Scrapes.get(m.port()));
      assertTrue(Scrapes.value(m.port(), "vigil_instance_cpu_seconds_total", "service", "sleeper")
          .isPresent(), Scrapes.get(m.port()));
    }
  }
}

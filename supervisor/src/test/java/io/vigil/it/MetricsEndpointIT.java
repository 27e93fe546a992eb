package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil run} from the shaded jar serves its metrics, or refuses to start without them. */
class MetricsEndpointIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private Path config(int metricsPort) throws Exception {
    Path conf = dir.resolve("vigil.conf");
    // The API on a port of its own choosing: only the metrics port is under test here
    Files.writeString(conf, "vigil { state-dir = state, api.listen = \"127.0.0.1:0\","
        + " metrics.listen = \"127.0.0.1:" + metricsPort + "\" }\n"
        + "services { sleeper { command = [sh, -c, \"exec sleep 300\"] } }\n");
    return conf;
  }

  @Test
  void runServesMetricsFromTheJar() throws Exception {
    int port = Host.freePort();
    Path conf = config(port);
    try (VigilProcess vigil = VigilProcess.start(dir, "run.log", "run", "--config",
        conf.toString())) {
      assertTrue(Host.eventually(WAIT, () -> Scrapes.value(port, "vigil_instance_ready",
          "service", "sleeper", "index", "0").equals(Optional.of(1.0))), vigil.log());
      String text = Scrapes.get(port);
      assertTrue(text.contains("vigil_build_info{version=\""), text);
      assertTrue(text.contains("jvm_memory_used_bytes"), text);
      assertTrue(vigil.log().contains("metrics on http://127.0.0.1:" + port + "/metrics"),
          vigil.log());
      vigil.process.destroy();
      assertTrue(vigil.process.waitFor(20, TimeUnit.SECONDS), "vigil did not exit");
      assertEquals(0, vigil.process.exitValue(), vigil.log());
    }
  }

  @Test
  void metricsAddressInUseIsOneErrorLineAndNothingStarts() throws Exception {
    // Given the metrics port is taken
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Path conf = config(taken.getLocalPort());
      // When vigil runs
      int code = VigilProcess.run(dir, "run.log", "run", "--config", conf.toString());
      // Then it exits 1 with one line naming the setting, and started nothing
      List<String> out = Files.readAllLines(dir.resolve("run.log"));
      assertEquals(1, code, String.join("\n", out));
      assertEquals(List.of("vigil: cannot serve metrics on 127.0.0.1:" + taken.getLocalPort()
          + " (vigil.metrics.listen): Address already in use"), out);
    }
  }
}

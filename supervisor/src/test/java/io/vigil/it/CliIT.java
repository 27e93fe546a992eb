package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator CLI against a real Vigil and its real API, both from the jar. */
class CliIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern STATUS_URL = Pattern.compile("status on (http://[0-9.]+:[0-9]+)/");

  @TempDir Path dir;

  @Test
  void statusRestartEventsLogsAndErrorsAgainstTheRealApi() throws Exception {
    Path conf = dir.resolve("vigil.conf");
    Files.writeString(conf, "vigil { state-dir = state, api.listen = \"127.0.0.1:0\","
        + " metrics.listen = \"127.0.0.1:0\" }\n"
        + "services { sleeper { command = [sh, -c, \"echo hello from $VIGIL_INSTANCE;"
        + " exec sleep 300\"], instances = 2 } }\n");
    try (VigilProcess vigil = VigilProcess.start(dir, "vigil.log", "run", "--config", conf.toString())) {
      assertTrue(Host.eventually(WAIT, () -> STATUS_URL.matcher(vigil.log()).find()
          && vigil.count("-> READY") == 2), vigil.log());
      Matcher m = STATUS_URL.matcher(vigil.log());
      assertTrue(m.find());
      String api = m.group(1);

      assertEquals(0, cli("status.log", "status", "--api", api));
      String status = read("status.log");
      assertTrue(status.contains("sleeper  2/2 ready"), status);
      assertTrue(status.matches("(?s).*sleeper/1 +READY +pid \\d+.*"), status);

      assertEquals(0, cli("restart.log", "restart", "sleeper/1", "--api", api));
      assertTrue(Host.eventually(WAIT, () -> vigil.count("sleeper/1 EXITED -> STARTING (restart requested by operator)") == 1
          && vigil.count("-> READY") == 3), vigil.log());

      assertEquals(0, cli("events.log", "events", "-n", "50", "--api", api));
      assertTrue(read("events.log").contains("sleeper/1  STOPPING -> EXITED"), read("events.log"));

      assertEquals(0, cli("logs.log", "logs", "sleeper", "--instance", "0", "--api", api));
      assertEquals("hello from 0", read("logs.log").strip());

      assertEquals(1, cli("nope.log", "stop", "nope", "--api", api));
      assertEquals("vigil: no service 'nope' (404)", read("nope.log").strip());

      vigil.process.destroy();
      assertTrue(vigil.process.waitFor(20, TimeUnit.SECONDS));
      assertEquals(3, cli("down.log", "status", "--api", api));
      assertTrue(read("down.log").startsWith("vigil: cannot reach Vigil at " + api), read("down.log"));
    }
  }

  private int cli(String log, String... args) throws Exception {
    return VigilProcess.run(dir, log, args);
  }

  private String read(String log) throws Exception {
    return Files.readString(dir.resolve(log));
  }
}

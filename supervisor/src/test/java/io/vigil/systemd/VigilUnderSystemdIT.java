package io.vigil.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil run} from the built jar, with the environment systemd gives a Type=notify service
 * with WatchdogSec=2s, and this test in systemd's place on the notify socket.
 */
@Timeout(90)
class VigilUnderSystemdIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private UnixDatagramSocket systemd;
  private Process vigil;

  @AfterEach
  void cleanUp() throws IOException {
    if (vigil != null && vigil.isAlive()) {
      vigil.destroyForcibly();
    }
    // Instances outlive a killed Vigil by design; a failed test must not leave them behind.
    Path state = dir.resolve("state/instances.tsv");
    if (Files.exists(state)) {
      for (String line : Files.readAllLines(state)) {
        if (!line.startsWith("#") && !line.isBlank()) {
          long pid = Long.parseLong(line.split("\t")[2]);
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
    if (systemd != null) {
      systemd.close();
    }
  }

  @Test
  void readyAfterStartPingsWhileRunningStoppingOnSigterm() throws Exception {
    // Given "systemd" on an abstract socket, and a config with one service
    String notifySocket = "@vigil-it-" + UUID.randomUUID();
    systemd = UnixDatagramSocket.open();
    systemd.bind(UnixAddress.parse(notifySocket));
    systemd.receiveTimeout(WAIT);
    Path conf = dir.resolve("vigil.conf");
    // API and metrics on ports of their own choosing, not the default 9650/9651
    Files.writeString(conf, "vigil { state-dir = state, api.listen = \"127.0.0.1:0\","
        + " metrics.listen = \"127.0.0.1:0\" }\n"
        + "services { sleeper { command = [sh, -c,"
        + " \"echo notify=${NOTIFY_SOCKET:-unset} watchdog=${WATCHDOG_USEC:-unset}; exec sleep 300\"] } }\n");

    // When Vigil runs with NOTIFY_SOCKET and WATCHDOG_USEC set
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-jar",
        System.getProperty("vigil.jar"), "run", "--config", conf.toString())
        .directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("vigil.log").toFile());
    pb.environment().put("NOTIFY_SOCKET", notifySocket);
    pb.environment().put("WATCHDOG_USEC", "2000000");
    vigil = pb.start();

    // Then READY=1 with its status arrives, and pings come while it runs
    assertEquals("READY=1\nSTATUS=supervising 1 services", nextOtherThanPing());
    assertEquals("WATCHDOG=1", receive());
    // and the instance does not inherit systemd's variables meant for Vigil alone
    Path out = dir.resolve("state/logs/sleeper-0.out.log");
    assertTrue(waitForText(out, "notify=unset watchdog=unset"), log());

    // And on SIGTERM it says STOPPING=1, stops its instance and exits 0
    vigil.destroy();
    assertEquals("STOPPING=1", nextOtherThanPing());
    assertTrue(vigil.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), log());
    assertEquals(0, vigil.exitValue(), log());
  }

  private static boolean waitForText(Path file, String text) throws InterruptedException {
    for (int i = 0; i < 250; i++) {
      try {
        if (Files.exists(file) && Files.readString(file).contains(text)) {
          return true;
        }
      } catch (IOException e) {
        // not written yet
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** The next message that is not a watchdog ping (the watchdog starts before READY=1). */
  private String nextOtherThanPing() throws IOException {
    String message;
    do {
      message = receive();
    } while (message.equals("WATCHDOG=1"));
    return message;
  }

  private String receive() throws IOException {
    Optional<byte[]> got = systemd.receive(4096);
    if (got.isEmpty()) {
      fail("nothing on the notify socket within " + WAIT + "; Vigil's log:\n" + log());
    }
    return new String(got.get(), StandardCharsets.UTF_8);
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("vigil.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}

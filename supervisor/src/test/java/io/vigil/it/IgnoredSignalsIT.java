package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Vigil started with signals ignored (as by a shell's {@code vigil run &}, or {@code nohup})
 * does not pass them on: its instances start with every signal at its default, as under systemd.
 */
class IgnoredSignalsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long INT_AND_HUP = (1L << (2 - 1)) | (1L << (1 - 1));

  @TempDir Path dir;
  private long instancePid;

  @AfterEach
  void killLeftovers() {
    if (instancePid > 0) {
      Host.killGroup(instancePid);
    }
  }

  @Test
  void instancesDoNotInheritTheSignalsVigilIgnores() throws Exception {
    assumeTrue(VigilProcess.envResetsSignals(),
        "needs env --default-signal (GNU coreutils 8.31 or later), which this machine's"
            + " /usr/bin/env lacks");
    Path conf = dir.resolve("vigil.conf");
    Files.writeString(conf, "vigil { state-dir = state, api.listen = \"127.0.0.1:0\","
        + " metrics.listen = \"127.0.0.1:0\" }\n"
        + "services {\n sleeper { command = [sleep, \"300\"] }\n}\n");
    // sh's trap "" ignores INT and HUP, and exec keeps them ignored in Vigil's JVM
    List<String> ignoringIntAndHup = List.of("/bin/sh", "-c", "trap '' INT HUP; exec \"$@\"", "sh");

    try (VigilProcess vigil = VigilProcess.start(dir, "vigil.log", ignoringIntAndHup, List.of(),
        "run", "--config", conf.toString())) {
      assertTrue(Host.eventually(WAIT, () -> vigil.log().contains("sleeper/0 STARTING -> ")),
          vigil.log());
      Matcher started =
          Pattern.compile("sleeper/0 \\w+ -> STARTING .* pid=(\\d+)").matcher(vigil.log());
      assertTrue(started.find(), vigil.log());
      instancePid = Long.parseLong(started.group(1));
      Path comm = Path.of("/proc", Long.toString(instancePid), "comm");
      assertTrue(Host.eventually(WAIT, () -> read(comm).equals("sleep\n")), "exec of sleep");

      // Given: Vigil itself does ignore them (else this test would prove nothing)
      assertEquals(INT_AND_HUP, ignored(vigil.process.pid()) & INT_AND_HUP, vigil.log());
      // Then: its instance does not
      assertEquals(0, ignored(instancePid) & INT_AND_HUP,
          "instance ignores 0x" + Long.toHexString(ignored(instancePid)));
      assertTrue(vigil.log().contains("Vigil was started with signals [1, 2] ignored"),
          vigil.log());

      vigil.process.destroy(); // SIGTERM
      assertTrue(vigil.process.waitFor(20, TimeUnit.SECONDS), "vigil did not exit");
    }
  }

  private static long ignored(long pid) throws Exception {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(line -> line.startsWith("SigIgn:"))
        .mapToLong(line -> Long.parseUnsignedLong(line.substring(7).trim(), 16))
        .findFirst()
        .orElseThrow();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      return "";
    }
  }
}

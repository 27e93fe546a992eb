package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.logs.LogFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotationIT {

  private static final long MAX_BYTES = 2000;
  private static final Duration GROWTH = Duration.ofSeconds(5);

  private Fixture fixture;

  @TempDir Path dir;

  @BeforeEach
  void startAgent() {
    fixture = new Fixture(MAX_BYTES, 2);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.killAll();
    fixture.close();
  }

  @Test
  void rotatesTheLogOfAWritingProcessWhichKeepsWritingAtTheStart() throws Exception {
    // Given: a service printing 50-byte lines every 5 ms.
    fixture.sh(
        dir,
        "while :; do echo 0123456789012345678901234567890123456789012345678; sleep 0.005; done");
    Path out = Fixture.out(dir);

    for (int rotation = 1; rotation <= 2; rotation++) {
      Procs.await(() -> Procs.size(out) > MAX_BYTES, GROWTH, "log over the limit");

      // When
      fixture.agent.housekeeping();

      // Then
      Path copy = LogFiles.rotated(out, rotation);
      assertTrue(Files.size(copy) > MAX_BYTES, copy + " holds the rotated lines");
      assertTrue(Procs.size(out) < MAX_BYTES, "live file truncated");
    }

    // Then: the child's O_APPEND writes continue at the new end, with no hole of NUL bytes.
    Procs.await(() -> Procs.size(out) > 100, GROWTH, "writes after the truncate");
    assertTrue(Procs.read(out).startsWith("0123456789"), "no sparse hole at the start");
    assertTrue(Files.exists(LogFiles.rotated(out, 2)));
  }
}

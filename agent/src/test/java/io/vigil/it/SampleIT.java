package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.HostSample;
import io.vigil.agent.ProcessIdentity;
import io.vigil.agent.ProcessSample;
import io.vigil.agent.RunningProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleIT {

  private static Fixture fixture;

  @TempDir Path dir;

  @BeforeAll
  static void startAgent() {
    fixture = new Fixture();
  }

  @AfterEach
  void killStarted() throws Exception {
    fixture.killAll();
  }

  @AfterAll
  static void closeAgent() {
    fixture.close();
  }

  @Test
  void samplesALiveProcessAndOnlyThatOne() throws Exception {
    // Given
    RunningProcess process = fixture.sh(dir, "exec sleep 300");
    ProcessIdentity identity = process.identity();

    // When: sampled until sleep runs with its 3 descriptors and a page in memory (mid-exec the
    // new image may have no page yet, the launch's close-on-exec descriptors may still be open,
    // and the loader opens files as sleep starts); a leaked descriptor would never close.
    ProcessSample sample = fixture.agent.sample(identity).orElseThrow();
    for (long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        (sample.openFiles() != 3 || sample.residentBytes() == 0)
            && System.nanoTime() < deadline;
        sample = fixture.agent.sample(identity).orElseThrow()) {
      Thread.sleep(10);
    }

    // Then
    assertEquals(identity.pid(), sample.pid());
    assertTrue(sample.residentBytes() > 0);
    assertEquals(1, sample.threads());
    assertEquals(3, sample.openFiles(), "stdin, stdout, stderr");
    assertTrue(sample.cpuSeconds() >= 0);
    assertEquals(
        Optional.empty(),
        fixture.agent.sample(new ProcessIdentity(identity.pid(), identity.startTicks() + 1)));
  }

  @Test
  void samplesTheHost() {
    // When
    fixture.agent.sampleHost();
    HostSample host = fixture.agent.sampleHost();

    // Then
    assertTrue(host.memoryTotalBytes() > 0);
    assertTrue(host.memoryAvailableBytes() > 0);
    assertTrue(host.memoryAvailableBytes() <= host.memoryTotalBytes());
    assertTrue(host.cpuLoad() >= 0 && host.cpuLoad() <= 1, "cpu load " + host.cpuLoad());
    assertTrue(host.load1() >= 0);
  }
}

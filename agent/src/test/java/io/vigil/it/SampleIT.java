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
    // Sampled mid-exec the new image may have no page in memory yet: sample the sleep itself.
    Procs.await(() -> Procs.read(Path.of("/proc", Long.toString(identity.pid()), "comm"))
        .equals("sleep\n"), Duration.ofSeconds(5), "sh to exec sleep");
    // ...and once exec has closed the launch's close-on-exec descriptors (after the rename).
    Procs.await(() -> Path.of("/proc", Long.toString(identity.pid()), "fd").toFile().list().length
        == 3, Duration.ofSeconds(5), "exec to close the launch's descriptors");

    // When
    ProcessSample sample = fixture.agent.sample(identity).orElseThrow();

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

package io.vigil.it;

import static io.vigil.instance.InstanceState.READY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.ProcessSample;
import io.vigil.control.InstanceView;
import io.vigil.instance.Transition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which instances are sampled when: every sample interval only those a memory limit watches;
 * the others when the API or the metrics read them, at most an interval apart.
 */
class SamplingIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SERVICES = "idle { command = [sleep, \"300\"] }\n"
      + "capped { command = [sleep, \"300\"], limits { memory = 1GiB } }";

  @TempDir Path dir;

  @Test
  void theIntervalSamplesOnlyWhatAMemoryLimitWatchesAndReadersGetTheRest() throws Exception {
    try (Harness h = new Harness(dir, "200ms", SERVICES, s -> { })) {
      h.awaitAll(WAIT, READY, "idle/0", "capped/0");

      // Several intervals pass with nobody reading the instances
      awaitStored(h, "capped");
      Thread.sleep(600);

      // The capped instance was sampled on the interval; the idle one never was
      assertNull(h.view("idle", 0).lastSample(), "idle/0 sampled though nobody read it");
      assertEquals(h.view("capped", 0).pid(), h.view("capped", 0).lastSample().pid());

      // A reader gets a sample of each live instance's current process
      for (InstanceView v : readUntilSampled(h)) {
        assertEquals(v.pid(), v.lastSample().pid(), v.id() + "'s sample is of another process");
      }
    }
  }

  @Test
  void readersWithinAnIntervalShareOneSampleAndLaterReadersGetANewOne() throws Exception {
    try (Harness h = new Harness(dir, "1h", SERVICES, s -> { })) {
      h.awaitAll(WAIT, READY, "idle/0", "capped/0");

      // Neither instance is sampled before the first interval is over
      assertNull(h.view("capped", 0).lastSample());

      // Readers within the hour get the samples the first reader had taken
      List<InstanceView> first = readUntilSampled(h);
      List<InstanceView> second = read(h);
      for (int i = 0; i < first.size(); i++) {
        assertSame(first.get(i).lastSample(), second.get(i).lastSample(),
            first.get(i).id() + " sampled again within the interval");
      }
    }
    try (Harness h =
        new Harness(Files.createDirectory(dir.resolve("short")), "200ms", SERVICES, s -> { })) {
      h.awaitAll(WAIT, READY, "idle/0");
      ProcessSample first = sampleOfIdle(readUntilSampled(h));

      // A reader after the interval has the instance sampled again
      Thread.sleep(300);
      assertNotSame(first, sampleOfIdle(read(h)), "idle/0's sample older than the interval");
    }
  }

  @Test
  void readersSamplesAreNotCountedByTheMemoryLimit() throws Exception {
    // Every sample of this sleep is over its limit: one sample on the interval would restart it
    String overLimit = "fat { command = [sleep, \"300\"],"
        + " limits { memory = 4KiB, memory-samples = 1 } }";
    try (Harness h = new Harness(dir, "1h", overLimit, s -> { })) {
      long pid = h.await(WAIT, "fat/0", READY).pid();

      // When a reader has it sampled (stored on the control thread before the views are built)
      ProcessSample read = readUntilSampled(h).get(0).lastSample();
      assertTrue(read.residentBytes() > 4096, "RSS " + read.residentBytes());
      h.supervisor.ping().get(5, TimeUnit.SECONDS);

      // Then it was not stopped for its memory
      assertEquals(pid, h.view("fat", 0).pid());
      synchronized (h.seen) {
        for (Transition t : h.seen) {
          assertTrue(t.reason() == null || !t.reason().contains("memory"), t.describe());
        }
      }
    }
  }

  private static List<InstanceView> read(Harness h) throws Exception {
    return h.supervisor.servicesWithSamples().get(5, TimeUnit.SECONDS).stream()
        .flatMap(s -> s.instances().stream()).toList();
  }

  /**
   * Reads until every instance has a sample: a round that outlasts a reader's one-second wait
   * (a slow machine, the sampler's first use) is stored for the next reader.
   */
  private static List<InstanceView> readUntilSampled(Harness h) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      List<InstanceView> views = read(h);
      if (views.stream().allMatch(v -> v.lastSample() != null)) {
        return views;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("readers never got every instance sampled: " + views);
      }
      Thread.sleep(50);
    }
  }

  private static ProcessSample sampleOfIdle(List<InstanceView> views) {
    ProcessSample s = views.stream().filter(v -> v.id().service().equals("idle")).findFirst()
        .orElseThrow().lastSample();
    assertNotNull(s, "idle/0 has no sample for the reader");
    return s;
  }

  private static void awaitStored(Harness h, String service) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (h.view(service, 0).lastSample() == null) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(service + "/0 not sampled within " + WAIT);
      }
      Thread.sleep(50);
    }
  }
}

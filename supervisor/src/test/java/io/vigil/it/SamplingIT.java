package io.vigil.it;

import static io.vigil.instance.InstanceState.READY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vigil.control.InstanceView;
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
  void theIntervalSamplesOnlyWhatAMemoryLimitWatchesAndReadersGetTheRestFresh() throws Exception {
    try (Harness h = new Harness(dir, "200ms", SERVICES, s -> { })) {
      h.awaitAll(WAIT, READY, "idle/0", "capped/0");

      // Several intervals pass with nobody reading the instances
      awaitSampled(h, "capped");
      Thread.sleep(600);

      // The capped instance was sampled on the interval; the idle one never was
      assertNull(h.view("idle", 0).lastSample(), "idle/0 sampled though nobody read it");
      assertEquals(h.view("capped", 0).pid(), h.view("capped", 0).lastSample().pid());

      // A reader gets a sample of each live instance's current process
      for (InstanceView v : instances(h)) {
        assertNotNull(v.lastSample(), v.id() + " has no sample for the reader");
        assertEquals(v.pid(), v.lastSample().pid(), v.id() + "'s sample is of another process");
      }
    }
  }

  @Test
  void readersWithinAnIntervalShareOneSample() throws Exception {
    try (Harness h = new Harness(dir, "1h", SERVICES, s -> { })) {
      h.awaitAll(WAIT, READY, "idle/0", "capped/0");

      // Neither instance is sampled before the first interval is over
      assertNull(h.view("capped", 0).lastSample());

      // The first reader has both sampled; the next, within the hour, gets the same samples
      List<InstanceView> first = instances(h);
      List<InstanceView> second = instances(h);
      for (int i = 0; i < first.size(); i++) {
        assertNotNull(first.get(i).lastSample(), first.get(i).id() + " not sampled for a reader");
        assertSame(first.get(i).lastSample(), second.get(i).lastSample(),
            first.get(i).id() + " sampled again within the interval");
      }
    }
  }

  private static List<InstanceView> instances(Harness h) throws Exception {
    return h.supervisor.services().get(5, TimeUnit.SECONDS).stream()
        .flatMap(s -> s.instances().stream()).toList();
  }

  private static void awaitSampled(Harness h, String service) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (h.view(service, 0).lastSample() == null) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(service + "/0 not sampled within " + WAIT);
      }
      Thread.sleep(50);
    }
  }

}

package io.vigil.it;

import static io.vigil.instance.InstanceState.READY;
import static io.vigil.instance.InstanceState.STARTING;
import static io.vigil.instance.InstanceState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.config.ConfigLoader;
import io.vigil.control.ReloadResult;
import io.vigil.instance.Transition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reload as a diff, and rolling restarts, with real processes. */
class ReloadIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SLEEP = "[sh, -c, \"exec sleep 300\"]";

  @TempDir Path dir;

  @Test
  void reloadStartsAddedStopsRemovedReplacesChangedAndLeavesTheRestAlone() throws Exception {
    try (Harness h = new Harness(dir, "keep { command = " + SLEEP + " }\n"
        + "gone { command = " + SLEEP + " }\n"
        + "change { command = " + SLEEP + ", instances = 2 }\n")) {
      long keep = h.await(WAIT, "keep/0", READY).pid();
      long gone = h.await(WAIT, "gone/0", READY).pid();
      h.await(WAIT, "change/1", READY);

      Path next = dir.resolve("next.conf");
      Files.writeString(next, "vigil { state-dir = \"state\", sample-interval = 200ms }\n"
          + "services {\n keep { command = " + SLEEP + " }\n"
          + " change { command = [sh, -c, \"exec sleep 301\"], instances = 2 }\n"
          + " added { command = " + SLEEP + " }\n}\n");
      ReloadResult result = h.supervisor.reload(ConfigLoader.load(next, Harness.runtime()))
          .get(10, TimeUnit.SECONDS);

      assertEquals(List.of("added"), result.added());
      assertEquals(List.of("gone"), result.removed());
      assertEquals(List.of("change"), result.changed());
      assertEquals(List.of("keep"), result.unchanged());
      h.await(WAIT, "added/0", READY);
      // Rolling: change/1 is stopped only after the new change/0 is READY
      Transition newFirst = h.await(WAIT, "change/0", READY);
      Transition secondStop = h.await(WAIT, "change/1", STOPPING);
      assertFalse(secondStop.at().isBefore(newFirst.at()));
      h.await(WAIT, "change/1", READY);
      assertTrue(Host.eventually(WAIT, () -> !Host.alive(gone)), "removed service still runs");
      assertTrue(Host.alive(keep));
      assertEquals(keep, h.view("keep", 0).pid());
      assertEquals(1, h.seen.stream()
          .filter(t -> t.instance().service().equals("keep") && t.to() == STARTING).count());
    }
  }

  @Test
  void rollingRestartReplacesOneInstanceAtATime() throws Exception {
    try (Harness h = new Harness(dir, "web { command = " + SLEEP + ", instances = 3 }")) {
      long[] before = new long[3];
      for (int i = 0; i < 3; i++) {
        before[i] = h.await(WAIT, "web/" + i, READY).pid();
      }
      int start = h.seen.size();
      h.supervisor.restartService("web").get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 3; i++) {
        assertNotEquals(before[i], h.view("web", i).pid());
        assertEquals(1, h.view("web", i).restarts(), "operator restarts count, as in the kubelet");
      }
      // Never more than one instance out of READY at a time
      List<Transition> seen = List.copyOf(h.seen);
      int down = 0;
      int maxDown = 0;
      for (Transition t : seen.subList(start, seen.size())) {
        if (t.to() == STOPPING) {
          down++;
        } else if (t.to() == READY) {
          down--;
        }
        maxDown = Math.max(maxDown, down);
      }
      assertEquals(1, maxDown, h.describeSeen());
    }
  }
}

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
import io.vigil.instance.InstanceState;
import io.vigil.instance.Transition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
      Map<String, Transition> ready =
          h.awaitAll(WAIT, READY, "keep/0", "gone/0", "change/0", "change/1");
      long keep = ready.get("keep/0").pid();
      long gone = ready.get("gone/0").pid();

      Path next = dir.resolve("next.conf");
      Files.writeString(next, "vigil { state-dir = \"state\", sample-interval = 200ms }\n"
          + "services {\n keep { command = " + SLEEP + " }\n"
          + " change { command = [sh, -c, \"exec sleep 301\"], instances = 2 }\n"
          + " added { command = " + SLEEP + " }\n}\n");
      int start = h.seen.size();
      ReloadResult result = h.supervisor.reload(ConfigLoader.load(next, Harness.runtime()))
          .get(10, TimeUnit.SECONDS);

      assertEquals(List.of("added"), result.added());
      assertEquals(List.of("gone"), result.removed());
      assertEquals(List.of("change"), result.changed());
      assertEquals(List.of("keep"), result.unchanged());
      // added/0 starts while change is restarted, which ends with the new change/1 READY: in
      // either order, so wait for both, then read the order from everything seen
      h.awaitAll(WAIT, READY, "added/0", "change/1");
      List<Transition> all = List.copyOf(h.seen);
      List<Transition> after = all.subList(start, all.size());
      // Rolling: change/1 is stopped only after the new change/0 is READY
      int newFirst = firstIndex(after, "change/0", READY);
      int secondStop = firstIndex(after, "change/1", STOPPING);
      assertTrue(newFirst >= 0 && secondStop > newFirst, h.describeSeen());
      assertFalse(after.get(secondStop).at().isBefore(after.get(newFirst).at()));
      assertTrue(Host.eventually(WAIT, () -> !Host.alive(gone)), "removed service still runs");
      assertTrue(Host.alive(keep));
      assertEquals(keep, h.view("keep", 0).pid());
      assertEquals(1, h.seen.stream()
          .filter(t -> t.instance().service().equals("keep") && t.to() == STARTING).count());
    }
  }

  /** The index of the first transition of {@code instance} to {@code to}, or -1. */
  private static int firstIndex(List<Transition> transitions, String instance,
      InstanceState to) {
    for (int i = 0; i < transitions.size(); i++) {
      Transition t = transitions.get(i);
      if (t.instance().toString().equals(instance) && t.to() == to) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void rollingRestartReplacesOneInstanceAtATime() throws Exception {
    try (Harness h = new Harness(dir, "web { command = " + SLEEP + ", instances = 3 }")) {
      Map<String, Transition> ready = h.awaitAll(WAIT, READY, "web/0", "web/1", "web/2");
      long[] before = new long[3];
      for (int i = 0; i < 3; i++) {
        before[i] = ready.get("web/" + i).pid();
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

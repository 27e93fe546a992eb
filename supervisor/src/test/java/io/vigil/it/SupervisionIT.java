package io.vigil.it;

import static io.vigil.instance.InstanceState.EXITED;
import static io.vigil.instance.InstanceState.FAILED;
import static io.vigil.instance.InstanceState.READY;
import static io.vigil.instance.InstanceState.RUNNING;
import static io.vigil.instance.InstanceState.STARTING;
import static io.vigil.instance.InstanceState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.instance.InstanceId;
import io.vigil.instance.Transition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervision loop end to end, with real processes and real probes on 127.0.0.1. */
class SupervisionIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;

  @Test
  void crashedInstanceIsRestartedAtOnce() throws Exception {
    // Given a running instance without probes
    try (Harness h = new Harness(dir, "sleeper { command = [sh, -c, \"exec sleep 300\"] }")) {
      Transition ready = h.await(WAIT, "sleeper/0", READY);
      // When it is killed from outside
      Host.signal(ready.pid(), "KILL");
      // Then the exit is recorded with its signal and a new process starts at once, not after a
      // backoff (bench/restart measures the latency itself; a timed assertion here would flake
      // on a loaded CI machine, so the bound is only "well under the 1 s initial backoff").
      Transition exited = h.await(WAIT, "sleeper/0", EXITED);
      assertEquals(9, exited.signal());
      Transition starting = h.await(WAIT, "sleeper/0", STARTING);
      assertTrue(starting.reason().contains("immediately"), starting.reason());
      long gapMillis = Duration.between(exited.at(), starting.at()).toMillis();
      assertTrue(gapMillis < 500, "restart took " + gapMillis + " ms");
      assertNotEquals(ready.pid(), starting.pid());
      assertTrue(Host.alive(starting.pid()));
    }
  }

  @Test
  void hungInstanceFailsLivenessAndIsReplaced() throws Exception {
    int port = Host.freePort();
    try (Harness h = new Harness(dir, "web {\n command = " + Harness.demoCommand() + "\n"
        + " port = " + port + "\n"
        + " stop { grace-period = 1s }\n"
        + " probes {\n"
        + "  startup { http { path = /healthz }, period = 200ms, timeout = 150ms, failure-threshold = 100 }\n"
        + "  liveness { http { path = /healthz }, period = 300ms, timeout = 200ms, failure-threshold = 2 }\n"
        + " }\n}")) {
      Transition ready = h.await(WAIT, "web/0", READY);
      // When the process is frozen (alive, but answers nothing)
      Host.signal(ready.pid(), "STOP");
      // Then liveness fails twice, Vigil stops it (SIGKILL after the grace) and starts another
      Transition stopping = h.await(WAIT, "web/0", STOPPING);
      assertTrue(stopping.reason().contains("liveness"), stopping.reason());
      h.await(WAIT, "web/0", EXITED);
      Transition starting = h.await(WAIT, "web/0", STARTING);
      assertNotEquals(ready.pid(), starting.pid());
      h.await(WAIT, "web/0", READY);
      assertTrue(Host.groupMembers(ready.pid()).isEmpty(), "frozen group still has members");
    }
  }

  @Test
  void readinessTogglesReadyWithoutRestart() throws Exception {
    int port = Host.freePort();
    try (Harness h = new Harness(dir, "web {\n command = " + Harness.demoCommand() + "\n"
        + " port = " + port + "\n"
        + " probes { readiness { http { path = /readyz }, period = 200ms, timeout = 150ms,"
        + " failure-threshold = 1 } }\n}")) {
      Transition ready = h.await(WAIT, "web/0", READY);
      get(port, "/fault/ready?on=false");
      Transition notReady = h.await(WAIT, "web/0", RUNNING);
      assertTrue(notReady.reason().contains("readiness"), notReady.reason());
      get(port, "/fault/ready?on=true");
      Transition readyAgain = h.await(WAIT, "web/0", READY);
      assertEquals(ready.pid(), readyAgain.pid());
      assertEquals(0, h.view("web", 0).restarts());
    }
  }

  @Test
  void crashLoopEndsInFailedUntilAnOperatorStartsIt() throws Exception {
    try (Harness h = new Harness(dir, "loop {\n command = [sh, -c, \"exit 3\"]\n"
        + " restart { backoff { initial = 10ms, max = 20ms }, give-up { restarts = 3, within = 1m } }\n}")) {
      Transition failed = h.await(WAIT, "loop/0", FAILED);
      assertTrue(failed.reason().contains("crash loop"), failed.reason());
      long starts = h.seen.stream().filter(t -> t.to() == STARTING).count();
      assertEquals(4, starts, "initial start + 3 restarts:\n" + h.describeSeen());
      // Stays down: still FAILED well after several backoff periods (20 ms each)
      Thread.sleep(300);
      assertEquals(FAILED, h.view("loop", 0).state());
      assertEquals(4, h.seen.stream().filter(t -> t.to() == STARTING).count());
      // An operator start gives it a fresh history
      h.supervisor.startInstance(new InstanceId("loop", 0)).get();
      h.await(WAIT, "loop/0", STARTING);
    }
  }

  @Test
  void stopKillsForkedChildrenAndLeavesNoZombie() throws Exception {
    try (Harness h = new Harness(dir,
        "forker { command = [sh, -c, \"sleep 300 & sleep 300 & wait\"], stop { grace-period = 2s } }")) {
      Transition ready = h.await(WAIT, "forker/0", READY);
      long pgid = ready.pid();
      assertTrue(Host.eventually(WAIT, () -> Host.groupMembers(pgid).size() >= 3),
          "expected sh and two sleeps in group " + pgid);
      h.supervisor.stopInstance(new InstanceId("forker", 0)).get();
      assertTrue(Host.groupMembers(pgid).isEmpty(), "left in group: " + Host.groupMembers(pgid));
      long self = ProcessHandle.current().pid();
      assertTrue(Host.eventually(Duration.ofSeconds(5), () -> Host.zombieChildren(self).isEmpty()),
          "zombies: " + Host.zombieChildren(self));
    }
  }

  @Test
  void unexpectedExitKillsTheRestOfTheGroup() throws Exception {
    try (Harness h = new Harness(dir,
        "forker { command = [sh, -c, \"sleep 300 & sleep 300 & wait\"] }")) {
      Transition ready = h.await(WAIT, "forker/0", READY);
      long pgid = ready.pid();
      assertTrue(Host.eventually(WAIT, () -> Host.groupMembers(pgid).size() >= 3));
      Host.signal(pgid, "KILL");
      h.await(WAIT, "forker/0", STARTING);
      assertTrue(Host.eventually(Duration.ofSeconds(5), () -> Host.groupMembers(pgid).isEmpty()),
          "orphans left in group: " + Host.groupMembers(pgid));
    }
  }

  @Test
  void memoryOverLimitRestartsWithReason() throws Exception {
    int port = Host.freePort();
    try (Harness h = new Harness(dir, "web {\n command = " + Harness.demoCommand() + "\n"
        + " port = " + port + "\n"
        + " limits { memory = 160MiB, memory-samples = 2 }\n"
        + " probes { readiness { http { path = /readyz }, period = 200ms, timeout = 150ms } }\n}")) {
      Transition ready = h.await(WAIT, "web/0", READY);
      try {
        get(port, "/fault/leak?mb=200");
      } catch (java.io.IOException e) {
        // Vigil may kill the instance before it has answered: that is what is tested here
      }
      Transition stopping = h.await(WAIT, "web/0", STOPPING);
      assertTrue(stopping.reason().contains("memory"), stopping.reason());
      Transition starting = h.await(WAIT, "web/0", STARTING);
      assertNotEquals(ready.pid(), starting.pid());
    }
  }

  private static void get(int port, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }
}

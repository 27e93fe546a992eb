package io.vigil.it;

import static io.vigil.instance.InstanceState.EXITED;
import static io.vigil.instance.InstanceState.READY;
import static io.vigil.instance.InstanceState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.control.TrafficGate;
import io.vigil.instance.InstanceId;
import io.vigil.instance.Transition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a load balancer is told: the ready set, and a drain before each stop signal. */
class TrafficGateIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  /** A hand-written gate owned by the test: records ready sets, holds drains until released. */
  static final class RecordingGate implements TrafficGate {
    final List<List<Endpoint>> readySets = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> drained = new CompletableFuture<>();
    final List<InstanceId> drainRequests = new CopyOnWriteArrayList<>();

    @Override
    public void onReady(String service, List<Endpoint> ready) {
      readySets.add(List.copyOf(ready));
    }

    @Override
    public CompletableFuture<Void> drain(InstanceId id) {
      drainRequests.add(id);
      return drained;
    }
  }

  @Test
  void anInstanceLeavesRotationThenDrainsThenGetsItsStopSignal() throws Exception {
    RecordingGate gate = new RecordingGate();
    int port = Host.freePort();
    try (Harness h = new Harness(dir, "web { command = [sh, -c, \"exec sleep 300\"], instances = 2,"
        + " port = " + port + " }", s -> s.gate(gate))) {
      Transition zero = h.awaitAll(WAIT, READY, "web/0", "web/1").get("web/0");
      assertTrue(Host.eventually(WAIT, () -> gate.readySets.size() >= 2));
      assertEquals(List.of(new TrafficGate.Endpoint(new InstanceId("web", 0), port),
          new TrafficGate.Endpoint(new InstanceId("web", 1), port + 1)), last(gate));

      // When web/0 is stopped
      CompletableFuture<Void> stopped = h.supervisor.stopInstance(new InstanceId("web", 0));
      h.await(WAIT, "web/0", STOPPING);

      // Then it left the ready set at once, a drain was asked for, and until the drain is over
      // the process gets no signal
      assertEquals(List.of(new TrafficGate.Endpoint(new InstanceId("web", 1), port + 1)),
          last(gate));
      assertTrue(Host.eventually(WAIT, () -> gate.drainRequests.contains(new InstanceId("web", 0))));
      Thread.sleep(300); // a stop signal would have ended `sleep` well within this
      assertTrue(Host.alive(zero.pid()), "signalled before the drain was over");
      assertFalse(stopped.isDone());

      gate.drained.complete(null);
      stopped.get();
      h.await(WAIT, "web/0", EXITED);
      assertFalse(Host.alive(zero.pid()));
    }
  }

  private static List<TrafficGate.Endpoint> last(RecordingGate gate) {
    return gate.readySets.get(gate.readySets.size() - 1);
  }
}

package io.vigil.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.config.ConfigLoader;
import io.vigil.instance.InstanceEvent;
import io.vigil.instance.InstanceId;
import io.vigil.instance.Rotation;
import io.vigil.instance.RotationChange;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.check.FakeAgent;
import io.vigil.time.FakeTicker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the load balancer reports from its event loop reaches the event log through the control
 * thread, in the order reported, and the reporting thread never waits for it.
 */
class RotationEventsTest {
  private static final Instant T0 = Instant.parse("2026-11-27T03:00:00Z");
  private static final InstanceId WEB0 = new InstanceId("web", 0);

  @TempDir Path dir;
  private Supervisor supervisor;

  private Supervisor supervisor() throws Exception {
    Path conf = dir.resolve("vigil.conf");
    Files.writeString(conf, "vigil { state-dir = state }\nservices {}\n");
    supervisor = new Supervisor(ConfigLoader.load(conf, Map.of()), new FakeAgent(),
        (spec, target, timeout) -> CompletableFuture.completedFuture(CheckOutcome.success("")),
        new FakeTicker(), Clock.fixed(T0, ZoneOffset.UTC), new SplittableRandom(1));
    return supervisor;
  }

  @AfterEach
  void close() {
    if (supervisor != null) {
      supervisor.close();
    }
  }

  @Test
  void rotationChangesAreRecordedOnTheControlThreadInOrder() throws Exception {
    // Given a supervisor whose event log tells which thread recorded each event
    Supervisor s = supervisor();
    List<String> recordedOn = new CopyOnWriteArrayList<>();
    s.events().subscribe(
        e -> recordedOn.add(e.reason() + " on " + Thread.currentThread().getName()));
    RotationChange ejected = new RotationChange(T0, WEB0, Rotation.IN_ROTATION, Rotation.EJECTED,
        "5 consecutive 5xx responses", T0.plusSeconds(30));
    RotationChange returned = new RotationChange(T0.plusSeconds(30), WEB0, Rotation.EJECTED,
        Rotation.IN_ROTATION, "ejection time is over", null);

    // When the load balancer reports an ejection and a return (web/0 is unknown here: it is
    // recorded all the same, there is just no liveness check to hurry)
    s.onRotation(ejected);
    s.onRotation(returned);
    s.ping().get(5, TimeUnit.SECONDS); // the loop has run everything posted before

    // Then both are in the log, in order, each recorded by vigil-control
    List<InstanceEvent> log = s.events().recent(10);
    assertEquals(List.of(ejected, returned), log);
    assertEquals(List.of("5 consecutive 5xx responses on vigil-control",
        "ejection time is over on vigil-control"), recordedOn);
  }
}

package io.vigil.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.instance.InstanceId;
import io.vigil.instance.Rotation;
import io.vigil.instance.RotationChange;
import io.vigil.time.FakeTicker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The detector's events as the event log records them, on a fake timeline. */
class OutlierEventTest {
  private static final InstanceId A = new InstanceId("web", 0);
  private static final InstanceId B = new InstanceId("web", 1);
  private static final Instant WALL = Instant.parse("2026-11-27T03:00:00Z");

  private final FakeTicker ticker = new FakeTicker(5_000_000_000_000L);

  /** The wall time that goes with the fake ticker: both start together and move together. */
  private Instant wall(long startNanos) {
    return WALL.plusNanos(ticker.nanos() - startNanos);
  }

  @Test
  void anEjectionItsRefusalAndItsReturnBecomeRotationChanges() {
    // Given A and B behind a policy that ejects after 2 5xx, at most half of them, for 30 s
    long start = ticker.nanos();
    TrafficPolicy policy = new TrafficPolicy(Specs.lb(Balance.ROUND_ROBIN, Duration.ZERO,
        new LimitsSpec(10, 10, 10), Specs.retries(2), Specs.outlier(2, 0, 0, 50, false)),
        new SplittableRandom(1));
    policy.endpoints(List.of(A, B), ticker.nanos());
    List<RotationChange> log = new ArrayList<>();

    // When A fails twice at +1 s, B twice at +2 s, and a pick happens at +31 s
    ticker.advance(Duration.ofSeconds(1));
    record(policy, A, 500, start, log);
    record(policy, A, 500, start, log);
    ticker.advance(Duration.ofSeconds(1));
    record(policy, B, 503, start, log);
    record(policy, B, 503, start, log);
    ticker.advance(Duration.ofSeconds(29));
    policy.pick(Set.of(), ticker.nanos()).events()
        .forEach(e -> log.add(e.toRotationChange(wall(start), ticker.nanos())));

    // Then: A ejected until +31 s, B kept in by the cap, A back at +31 s
    assertEquals(List.of(
        new RotationChange(WALL.plusSeconds(1), A, Rotation.IN_ROTATION, Rotation.EJECTED,
            "2 consecutive 5xx responses; ejected for 30s (ejection 1 in a row)",
            WALL.plusSeconds(31)),
        new RotationChange(WALL.plusSeconds(2), B, Rotation.IN_ROTATION, Rotation.IN_ROTATION,
            "2 consecutive 5xx responses, but not ejected: 1 of 2 instances already ejected"
                + " (max-ejection-percent 50)", null),
        new RotationChange(WALL.plusSeconds(31), A, Rotation.EJECTED, Rotation.IN_ROTATION,
            "ejection time is over", null)), log);
  }

  @Test
  void anEjectionReportedLateStillEndsWhenTheDetectorSaid() {
    // Given an ejection until ticker 100 s, reported when the ticker says 99.5 s
    OutlierEvent ejected = new OutlierEvent(A, OutlierEvent.Type.EJECTED, "x", 100_000_000_000L);

    // Then it ends half a second after the wall time it was reported at
    assertEquals(WALL.plusMillis(500),
        ejected.toRotationChange(WALL, 99_500_000_000L).until());
  }

  private void record(TrafficPolicy policy, InstanceId id, int status, long start,
      List<RotationChange> log) {
    policy.record(id, Outcome.response(status), ticker.nanos())
        .forEach(e -> log.add(e.toRotationChange(wall(start), ticker.nanos())));
  }
}

package io.vigil.probe;

import static io.vigil.probe.Probes.fail;
import static io.vigil.probe.Probes.ok;
import static io.vigil.probe.Probes.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeTrackerTest {

  /** One step of a timeline: the outcome fed in, the verdict expected (null: none), the state. */
  record Step(CheckOutcome outcome, Boolean verdictPassing, boolean passingAfter) {}

  static Step step(CheckOutcome outcome, Boolean verdictPassing, boolean passingAfter) {
    return new Step(outcome, verdictPassing, passingAfter);
  }

  static void run(ProbeTracker tracker, List<Step> timeline) {
    for (int i = 0; i < timeline.size(); i++) {
      Step s = timeline.get(i);
      Optional<ProbeVerdict> verdict = tracker.record(s.outcome);
      String at = "step " + i + " " + s;
      assertEquals(Optional.ofNullable(s.verdictPassing), verdict.map(ProbeVerdict::passing), at);
      verdict.ifPresent(v -> assertEquals(tracker.kind(), v.kind(), at));
      assertEquals(s.passingAfter, tracker.passing(), at);
      assertEquals(Optional.of(s.outcome), tracker.last(), at);
    }
  }

  @Test
  void initialStateIsTheKubelets() {
    ProbeSpec spec = spec(0, 1000, 1, 3);
    assertTrue(new ProbeTracker(ProbeKind.LIVENESS, spec).passing());
    assertFalse(new ProbeTracker(ProbeKind.READINESS, spec).passing());
    assertFalse(new ProbeTracker(ProbeKind.STARTUP, spec).passing());
    assertEquals(Optional.empty(), new ProbeTracker(ProbeKind.LIVENESS, spec).last());
  }

  @Test
  void readinessWithSuccessThresholdTwoAndFailureThresholdThree() {
    run(new ProbeTracker(ProbeKind.READINESS, spec(0, 1000, 2, 3)), List.of(
        step(ok(), null, false),     // 1 of 2
        step(fail(), null, false),   // already failing: no change, streak broken
        step(ok(), null, false),     // 1 of 2 again
        step(ok(), true, true),      // 2 in a row: flips
        step(ok(), null, true),      // no change: not published again
        step(fail(), null, true),    // 1 of 3
        step(fail(), null, true),    // 2 of 3
        step(ok(), null, true),      // streak broken
        step(fail(), null, true),
        step(fail(), null, true),
        step(fail(), false, false),  // 3 in a row: flips
        step(fail(), null, false),   // no change
        step(ok(), null, false),
        step(ok(), true, true)));
  }

  @Test
  void livenessFailsAfterThresholdAndPublishesOnce() {
    run(new ProbeTracker(ProbeKind.LIVENESS, spec(0, 1000, 1, 3)), List.of(
        step(ok(), null, true),      // passing from the start: a success is no change
        step(fail(), null, true),
        step(fail(), null, true),
        step(fail(), false, false),
        step(fail(), null, false),
        step(fail(), null, false),
        step(ok(), true, true)));
  }

  @Test
  void startupPassesOnFirstSuccessAndNeverPublishesFailure() {
    run(new ProbeTracker(ProbeKind.STARTUP, spec(0, 1000, 1, 3)), List.of(
        step(fail(), null, false),
        step(fail(), null, false),
        step(fail(), null, false),
        step(fail(), null, false),
        step(ok(), true, true)));
  }

  @Test
  void thresholdOfOneFlipsAtOnce() {
    run(new ProbeTracker(ProbeKind.READINESS, spec(0, 1000, 1, 1)), List.of(
        step(ok(), true, true),
        step(fail(), false, false),
        step(ok(), true, true)));
  }

  @Test
  void countsConsecutiveOutcomes() {
    ProbeTracker t = new ProbeTracker(ProbeKind.READINESS, spec(0, 1000, 1, 5));
    t.record(fail());
    t.record(fail());
    assertEquals(2, t.consecutiveFailures());
    assertEquals(0, t.consecutiveSuccesses());
    t.record(ok());
    assertEquals(0, t.consecutiveFailures());
    assertEquals(1, t.consecutiveSuccesses());
  }

  @Test
  void reasonsNameTheProbeTheStreakAndTheDetail() {
    ProbeTracker readiness = new ProbeTracker(ProbeKind.READINESS, spec(0, 1000, 2, 3));
    readiness.record(ok());
    assertEquals("readiness probe succeeded (1 of 2): HTTP 200", readiness.describeLast());
    assertEquals("readiness probe succeeded 2 times in a row",
        readiness.record(ok()).orElseThrow().reason());
    readiness.record(fail());
    assertEquals("readiness probe failed (1 of 3): HTTP 500", readiness.describeLast());
    readiness.record(fail());
    assertEquals("readiness probe failed 3 times in a row: HTTP 500",
        readiness.record(fail()).orElseThrow().reason());
    readiness.record(fail());
    assertEquals("readiness probe failed (4 in a row): HTTP 500", readiness.describeLast());

    ProbeTracker liveness = new ProbeTracker(ProbeKind.LIVENESS, spec(0, 1000, 1, 1));
    assertEquals("liveness probe has not run yet", liveness.describeLast());
    assertEquals("liveness probe failed: connection refused",
        liveness.record(CheckOutcome.failure("connection refused")).orElseThrow().reason());
    assertEquals("liveness probe succeeded", liveness.record(ok()).orElseThrow().reason());

    ProbeTracker startup = new ProbeTracker(ProbeKind.STARTUP, spec(0, 1000, 1, 3));
    assertEquals("startup probe succeeded",
        startup.record(CheckOutcome.success("")).orElseThrow().reason());
  }
}

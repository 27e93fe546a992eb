package io.vigil.probe;

import static io.vigil.probe.ProbeKind.LIVENESS;
import static io.vigil.probe.ProbeKind.READINESS;
import static io.vigil.probe.ProbeKind.STARTUP;
import static io.vigil.probe.Probes.fail;
import static io.vigil.probe.Probes.ms;
import static io.vigil.probe.Probes.ok;
import static io.vigil.probe.Probes.probes;
import static io.vigil.probe.Probes.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.probe.ProbeDecision.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Timelines in milliseconds after the process start. The start is a large ticker value, so
 * nothing may assume that time begins at 0.
 */
class InstanceProbesTest {
  static final long START = 7_000_000_000_000L;

  InstanceProbes probes;

  void given(ProbesSpec spec, boolean alreadyStarted) {
    probes = new InstanceProbes(spec, START, alreadyStarted);
  }

  List<ProbeKind> dueAt(long millis) {
    return probes.due(START + ms(millis));
  }

  ProbeDecision resultAt(long millis, ProbeKind kind, CheckOutcome outcome) {
    return probes.onResult(kind, outcome, START + ms(millis));
  }

  void assertNextDue(long millis) {
    assertEquals(START + ms(millis), probes.nextDueNanos(), "next due (ms after start)");
  }

  void assertDecision(Action action, String reason, ProbeDecision decision) {
    assertEquals(new ProbeDecision(action, reason), decision);
  }

  @Test
  void withoutProbesAnInstanceIsStartedAndReadyAndNothingIsEverDue() {
    given(ProbesSpec.none(), false);
    assertTrue(probes.started());
    assertTrue(probes.ready());
    assertEquals(List.of(), dueAt(0));
    assertEquals(List.of(), dueAt(1_000_000));
    assertEquals(Long.MAX_VALUE, probes.nextDueNanos());
    assertEquals(Map.of(), probes.lastOutcomes());
  }

  @Test
  void expediteMakesAnActiveProbeDueNowButNeverTwiceInFlight() {
    // Given liveness every 10s from the start, no startup probe
    given(probes(null, spec(0, 10_000, 1, 3), null), false);
    assertEquals(List.of(LIVENESS), dueAt(0));
    resultAt(100, LIVENESS, ok());
    assertNextDue(10_000);

    // When the load balancer ejects the instance at 2s, Then liveness is due at once
    assertTrue(probes.expedite(LIVENESS, START + ms(2000)));
    assertNextDue(2000);
    assertEquals(List.of(LIVENESS), dueAt(2000));
    // and a second ejection while that check runs changes nothing
    assertFalse(probes.expedite(LIVENESS, START + ms(2100)));
    // A probe that is not configured cannot be expedited
    assertFalse(probes.expedite(READINESS, START + ms(2100)));
  }

  @Test
  void startupGatesLivenessAndReadiness() {
    // Given: startup every 2s after 1s (3 failures kill); liveness every 10s after 5s;
    // readiness every 3s from the start
    given(probes(spec(1000, 2000, 1, 3), spec(5000, 10_000, 1, 3), spec(0, 3000, 1, 3)), false);
    assertFalse(probes.started());
    assertFalse(probes.ready());

    // startup's initial delay; readiness (delay 0) is held back by the startup gate
    assertNextDue(1000);
    assertEquals(List.of(), dueAt(0));
    assertEquals(List.of(), dueAt(999));
    assertEquals(List.of(STARTUP), dueAt(1000));
    assertEquals(Long.MAX_VALUE, probes.nextDueNanos()); // the only active probe is in flight
    assertDecision(Action.NONE, "startup probe failed (1 of 3): HTTP 500",
        resultAt(1200, STARTUP, fail()));
    assertNextDue(3000); // launched at 1000 + period 2000

    assertEquals(List.of(), dueAt(2999));
    assertEquals(List.of(STARTUP), dueAt(3000));
    assertDecision(Action.STARTED, "startup probe succeeded", resultAt(3100, STARTUP, ok()));
    assertTrue(probes.started());
    assertFalse(probes.ready()); // readiness has not passed yet

    // readiness's delay (0) is long past: it runs as soon as startup passes;
    // liveness's delay counts from the process start: 5000
    assertNextDue(3100);
    assertEquals(List.of(READINESS), dueAt(3100));
    assertNextDue(5000);
    assertDecision(Action.READY, "readiness probe succeeded", resultAt(3150, READINESS, ok()));
    assertTrue(probes.ready());
    assertNextDue(5000);
    assertEquals(List.of(LIVENESS), dueAt(5000));
    assertNextDue(6250); // readiness: 3100 + 3000, on the 250 ms grid
    assertDecision(Action.NONE, "liveness probe succeeded (1 in a row): HTTP 200",
        resultAt(5010, LIVENESS, ok()));

    // startup is done for good
    assertEquals(List.of(), dueAt(6249));
    assertEquals(List.of(READINESS), dueAt(6250));
    assertEquals(List.of(), dueAt(100_000).stream().filter(k -> k == STARTUP).toList());
  }

  @Test
  void periodicChecksMoveOnceOntoTheSharedGridAndStayThere() {
    // Given liveness every 1s after 130 ms: off the 250 ms grid (START is on it)
    given(probes(null, spec(130, 1000, 1, 3), null), false);

    // The first check runs when it is due, not on the grid
    assertEquals(List.of(), dueAt(129));
    assertEquals(List.of(LIVENESS), dueAt(130));
    resultAt(140, LIVENESS, ok());
    // The next one waits for the grid once: 130 + 1000 = 1130 becomes 1250
    assertNextDue(1250);
    assertEquals(List.of(), dueAt(1249));
    assertEquals(List.of(LIVENESS), dueAt(1250));
    resultAt(1260, LIVENESS, ok());
    // and from then on every period exactly
    assertNextDue(2250);
    assertEquals(List.of(LIVENESS), dueAt(2250));
    resultAt(2900, LIVENESS, fail()); // a slow answer does not move it off the grid
    assertNextDue(3250);
    // One later than a whole period does, once: the next check goes at once, off the grid...
    assertEquals(List.of(LIVENESS), dueAt(3250));
    resultAt(4300, LIVENESS, ok());
    assertNextDue(4300);
    assertEquals(List.of(LIVENESS), dueAt(4300));
    resultAt(4310, LIVENESS, ok());
    // ...and the one after it is back on the grid: 4300 + 1000 = 5300 becomes 5500
    assertNextDue(5500);
  }

  @Test
  void theGridHoldsForTickerValuesBelowZero() {
    // System.nanoTime may be negative; the grid is the same (multiples of 250 ms, below 0 too)
    long start = -7_000_000_000_000L;
    probes = new InstanceProbes(probes(null, spec(130, 1000, 1, 3), null), start, false);
    assertEquals(List.of(LIVENESS), probes.due(start + ms(130)));
    probes.onResult(LIVENESS, ok(), start + ms(140));
    assertEquals(start + ms(1250), probes.nextDueNanos());
  }

  @Test
  void theGridIsMadeOfWholeTicks() {
    // Launches happen on ticks: a grid that is not a multiple of the tick would never be met
    assertEquals(0, InstanceProbes.PHASE_GRID_NANOS % ProbeAgenda.TICK.toNanos());
  }

  @Test
  void aPeriodOffTheGridKeepsItsExactPeriod() {
    // 300 ms is no multiple of 250 ms: rounding would make it a 500 ms period
    given(probes(null, spec(130, 300, 1, 3), null), false);
    assertEquals(List.of(LIVENESS), dueAt(130));
    resultAt(140, LIVENESS, ok());
    assertNextDue(430);
    assertEquals(List.of(LIVENESS), dueAt(430));
    resultAt(435, LIVENESS, ok());
    assertNextDue(730);
  }

  @Test
  void anExpeditedCheckRunsAtOnceAndTheNextWaitsForTheGrid() {
    given(probes(null, spec(0, 1000, 1, 3), null), false);
    assertEquals(List.of(LIVENESS), dueAt(0));
    resultAt(10, LIVENESS, ok());
    assertTrue(probes.expedite(LIVENESS, START + ms(420)));
    assertNextDue(420);
    assertEquals(List.of(LIVENESS), dueAt(420));
    resultAt(425, LIVENESS, ok());
    assertNextDue(1500); // 420 + 1000 = 1420, on the grid
  }

  @Test
  void livenessInitialDelayCountsFromProcessStartNotFromStartupSuccess() {
    given(probes(spec(0, 1000, 1, 3), spec(5000, 10_000, 1, 3), null), false);
    assertEquals(List.of(STARTUP), dueAt(0));
    assertEquals(Action.STARTED, resultAt(100, STARTUP, ok()).action());
    assertTrue(probes.ready()); // no readiness probe: ready as soon as started
    assertNextDue(5000);
    assertEquals(List.of(), dueAt(4999));
    assertEquals(List.of(LIVENESS), dueAt(5000));
  }

  @Test
  void startupFailingItsThresholdMeansRestartAndStopsAllProbes() {
    given(probes(spec(0, 1000, 1, 3), spec(0, 1000, 1, 3), null), false);
    assertEquals(List.of(STARTUP), dueAt(0));
    assertEquals(Action.NONE, resultAt(10, STARTUP, fail()).action());
    assertEquals(List.of(STARTUP), dueAt(1000));
    assertEquals(Action.NONE, resultAt(1010, STARTUP, fail()).action());
    assertEquals(List.of(STARTUP), dueAt(2000));
    assertDecision(Action.RESTART, "startup probe failed 3 times: connection refused",
        resultAt(2010, STARTUP, CheckOutcome.failure("connection refused")));
    assertFalse(probes.started());
    assertEquals(Long.MAX_VALUE, probes.nextDueNanos());
    assertEquals(List.of(), dueAt(1_000_000));
  }

  @Test
  void startupThatRecoversBeforeTheThresholdStarts() {
    given(probes(spec(0, 1000, 1, 2), null, null), false);
    dueAt(0);
    assertEquals(Action.NONE, resultAt(10, STARTUP, fail()).action());
    dueAt(1000);
    assertEquals(Action.STARTED, resultAt(1010, STARTUP, ok()).action());
    assertTrue(probes.ready());
    assertEquals(Long.MAX_VALUE, probes.nextDueNanos());
  }

  @Test
  void livenessFailureRestartsOnceAndLaterResultsAreAbsorbed() {
    // Given: started (no startup probe), liveness and readiness both every second
    given(probes(null, spec(0, 1000, 1, 2), spec(0, 1000, 1, 1)), false);
    assertTrue(probes.started());
    assertEquals(List.of(LIVENESS, READINESS), dueAt(0));
    assertEquals(Action.NONE, resultAt(10, LIVENESS, fail()).action());
    assertEquals(Action.READY, resultAt(20, READINESS, ok()).action());
    assertEquals(List.of(LIVENESS, READINESS), dueAt(1000));

    // When
    ProbeDecision restart = resultAt(1010, LIVENESS, fail());

    // Then
    assertDecision(Action.RESTART, "liveness probe failed 2 times in a row: HTTP 500", restart);
    assertEquals(Long.MAX_VALUE, probes.nextDueNanos());
    assertEquals(List.of(), dueAt(5000));
    ProbeDecision late = resultAt(1020, READINESS, fail()); // was in flight: recorded, no decision
    assertEquals(Action.NONE, late.action());
    assertTrue(late.reason().contains("liveness probe failed 2 times"), late.reason());
    assertEquals(fail(), probes.lastOutcomes().get(READINESS));
  }

  @Test
  void readinessFlipsBothWaysAndNothingRestarts() {
    given(probes(null, null, spec(0, 1000, 2, 2)), false);
    record Step(long at, CheckOutcome outcome, Action action, boolean readyAfter) {}
    List<Step> timeline = List.of(
        new Step(0, ok(), Action.NONE, false),
        new Step(1000, ok(), Action.READY, true),
        new Step(2000, fail(), Action.NONE, true),
        new Step(3000, fail(), Action.NOT_READY, false),
        new Step(4000, fail(), Action.NONE, false),
        new Step(5000, fail(), Action.NONE, false),
        new Step(6000, ok(), Action.NONE, false),
        new Step(7000, ok(), Action.READY, true));
    for (Step s : timeline) {
      assertEquals(List.of(READINESS), dueAt(s.at), s.toString());
      ProbeDecision d = resultAt(s.at + 5, READINESS, s.outcome);
      assertEquals(s.action, d.action(), s.toString());
      assertEquals(s.readyAfter, probes.ready(), s.toString());
    }
  }

  @Test
  void readinessDecisionsCarryTheVerdictsReason() {
    given(probes(null, null, spec(0, 1000, 1, 2)), false);
    dueAt(0);
    assertDecision(Action.READY, "readiness probe succeeded", resultAt(1, READINESS, ok()));
    dueAt(1000);
    resultAt(1001, READINESS, fail());
    dueAt(2000);
    assertDecision(Action.NOT_READY, "readiness probe failed 2 times in a row: HTTP 500",
        resultAt(2001, READINESS, fail()));
  }

  @Test
  void periodCountsFromLaunchButNeverBeforeTheResult() {
    given(probes(null, spec(0, 10_000, 1, 3), null), false);
    // a quick result: next launch one period after the previous launch
    assertEquals(List.of(LIVENESS), dueAt(0));
    resultAt(400, LIVENESS, ok());
    assertNextDue(10_000);
    assertEquals(List.of(), dueAt(9_999));
    assertEquals(List.of(LIVENESS), dueAt(10_000));
    // a result that arrives after a full period: next launch at once, not in the past
    resultAt(25_000, LIVENESS, ok());
    assertNextDue(25_000);
    // the loop woke late: the check launches when it is asked, and the period counts from then
    assertEquals(List.of(LIVENESS), dueAt(31_000));
    resultAt(31_001, LIVENESS, ok());
    assertNextDue(41_000);
  }

  @Test
  void aProbeIsNeverRunTwiceConcurrently() {
    given(probes(null, spec(0, 1000, 1, 3), spec(0, 1000, 1, 3)), false);
    assertEquals(List.of(LIVENESS, READINESS), dueAt(0));
    assertEquals(List.of(), dueAt(1000));
    assertEquals(List.of(), dueAt(60_000));
    assertEquals(Long.MAX_VALUE, probes.nextDueNanos());
    resultAt(60_001, READINESS, ok());
    assertEquals(List.of(READINESS), dueAt(60_001)); // only the one that came back
    assertEquals(List.of(), dueAt(60_002));
  }

  @Test
  void aResultForACheckNotInFlightIsABug() {
    given(probes(spec(0, 1000, 1, 3), spec(0, 1000, 1, 3), null), false);
    assertThrows(IllegalStateException.class, () -> resultAt(0, STARTUP, ok()));
    assertThrows(IllegalStateException.class, () -> resultAt(0, READINESS, ok())); // no such probe
    dueAt(0);
    resultAt(1, STARTUP, fail());
    assertThrows(IllegalStateException.class, () -> resultAt(2, STARTUP, fail())); // twice
  }

  @Test
  void anAdoptedInstanceSkipsTheStartupProbe() {
    // Given: re-adopted after a Vigil restart, with all three probes configured
    given(probes(spec(0, 1000, 1, 3), spec(2000, 10_000, 1, 3), spec(500, 1000, 1, 3)), true);
    // Then: started at once, not ready until readiness passes, startup never runs
    assertTrue(probes.started());
    assertFalse(probes.ready());
    assertNextDue(500);
    assertEquals(List.of(), dueAt(499));
    assertEquals(List.of(READINESS), dueAt(500));
    assertEquals(Action.READY, resultAt(510, READINESS, ok()).action());
    assertTrue(probes.ready());
    assertEquals(List.of(LIVENESS, READINESS), dueAt(2000)); // readiness: 500 + 1000 <= 2000
    assertFalse(probes.lastOutcomes().containsKey(STARTUP));
  }

  @Test
  void lastOutcomesHoldsTheLatestOfEachProbeThatRan() {
    given(probes(null, spec(0, 1000, 1, 3), spec(0, 1000, 1, 3)), false);
    dueAt(0);
    resultAt(1, LIVENESS, CheckOutcome.failure("timeout after 1s"));
    assertEquals(Map.of(LIVENESS, CheckOutcome.failure("timeout after 1s")),
        probes.lastOutcomes());
    resultAt(2, READINESS, ok());
    dueAt(1000);
    resultAt(1001, LIVENESS, ok());
    assertEquals(Map.of(LIVENESS, ok(), READINESS, ok()), probes.lastOutcomes());
    assertThrows(UnsupportedOperationException.class,
        () -> probes.lastOutcomes().put(STARTUP, ok()));
  }
}

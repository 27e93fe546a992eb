package io.vigil.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.instance.InstanceId;
import io.vigil.time.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Timelines of outcomes and the events they produce, on a fake clock. */
class OutlierDetectorTest {
  private static final InstanceId A = new InstanceId("web", 0);
  private static final InstanceId B = new InstanceId("web", 1);
  private static final InstanceId C = new InstanceId("web", 2);
  private static final long SECOND = 1_000_000_000L;

  // Starts far from 0 to prove nothing assumes time starts there.
  private final FakeTicker ticker = new FakeTicker(1_000 * SECOND);

  /** Records {@code n} outcomes at the current time and returns the events, as text. */
  private List<String> record(OutlierDetector detector, InstanceId id, Outcome outcome, int n) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      detector.record(id, outcome, ticker.nanos()).forEach(e -> events.add(e.toString()));
    }
    return events;
  }

  private OutlierDetector detector(OutlierSpec spec, InstanceId... hosts) {
    OutlierDetector detector = new OutlierDetector(spec);
    detector.hosts(List.of(hosts));
    return detector;
  }

  @Test
  void fiveConsecutive5xxEjectForTheBaseTimeThenTheInstanceReturns() {
    // Given two instances and Envoy's thresholds (5), 30 s base
    OutlierDetector detector = detector(Specs.outlier(5, 0, 5, 50, true), A, B);

    // When A answers 500 four times / Then nothing happens yet
    assertEquals(List.of(), record(detector, A, Outcome.response(500), 4));
    assertFalse(detector.isEjected(A, ticker.nanos()));

    // When the fifth 500 comes / Then A is ejected for 30 s
    assertEquals(List.of("web/0 EJECTED: 5 consecutive 5xx responses; ejected for 30s "
        + "(ejection 1 in a row)"), record(detector, A, Outcome.response(500), 1));
    assertTrue(detector.isEjected(A, ticker.nanos()));
    assertEquals(OptionalLong.of(ticker.nanos() + 30 * SECOND), detector.nextReturn());

    // When 29.999 s pass / Then A is still out
    ticker.advance(Duration.ofMillis(29_999));
    assertTrue(detector.isEjected(A, ticker.nanos()));
    assertEquals(List.of(), detector.returnDue(ticker.nanos()));

    // When 30 s have passed / Then A is back, with clean counts
    ticker.advance(Duration.ofMillis(1));
    assertFalse(detector.isEjected(A, ticker.nanos()));
    assertEquals("[web/0 RETURNED: ejection time is over]",
        detector.returnDue(ticker.nanos()).toString());
    assertEquals(new OutlierState(false, 0, 1, 0, 0, 0), detector.state(A, ticker.nanos()));
    assertEquals(OptionalLong.empty(), detector.nextReturn());
  }

  @Test
  void aSuccessInBetweenResetsTheCount() {
    // Given one instance
    OutlierDetector detector = detector(Specs.outlier(), A, B);

    // When 4 x 500, one 404, 4 x 500 / Then no ejection: a non-5xx is a success here
    record(detector, A, Outcome.response(500), 4);
    record(detector, A, Outcome.response(404), 1);
    assertEquals(List.of(), record(detector, A, Outcome.response(500), 4));
    assertEquals(4, detector.state(A, ticker.nanos()).consecutive5xx());
  }

  @Test
  void gatewayErrorsCountApartAndAnyOther5xxBreaksTheirRun() {
    // Given gateway errors ejecting at 3 and 5xx off
    OutlierDetector detector = detector(Specs.outlier(0, 3, 0, 50, true), A, B);

    // When 502, 503, 500, 504, 502 / Then the 500 broke the run: no ejection
    for (int status : new int[] {502, 503, 500, 504, 502}) {
      assertEquals(List.of(), record(detector, A, Outcome.response(status), 1));
    }
    // When one more 503 / Then three in a row eject A
    assertEquals(List.of("web/0 EJECTED: 3 consecutive gateway errors (502, 503, 504); "
        + "ejected for 30s (ejection 1 in a row)"), record(detector, A, Outcome.response(503), 1));
  }

  @Test
  void localFailuresCountApartAndAnyResponseClearsThem() {
    // Given local failures ejecting at 3, 5xx at 5
    OutlierDetector detector = detector(Specs.outlier(5, 0, 3, 50, true), A, B);

    // When connect failure, timeout, then a 500 (a response: the connection works), then 2 resets
    record(detector, A, Outcome.connectFailure(), 1);
    record(detector, A, Outcome.timeout(), 1);
    record(detector, A, Outcome.response(500), 1);
    assertEquals(List.of(), record(detector, A, Outcome.reset(), 2));
    assertEquals(new OutlierState(false, 0, 0, 1, 0, 2), detector.state(A, ticker.nanos()));

    // When a third local failure / Then A is ejected for local failures
    assertEquals(List.of("web/0 EJECTED: 3 consecutive local failures (connect failure, reset, "
        + "timeout); ejected for 30s (ejection 1 in a row)"),
        record(detector, A, Outcome.connectFailure(), 1));
  }

  @Test
  void ejectionsInARowLastLongerUpToTheMaximum() {
    // Given 30 s base, 300 s max, one instance allowed out of two
    OutlierDetector detector = detector(Specs.outlier(1, 0, 0, 50, true), A, B);
    // When A fails right after each return / Then 30, 60, 90 ... 300, 300 s
    long[] expectedSeconds = {30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 300, 300};
    for (long expected : expectedSeconds) {
      List<OutlierEvent> events = detector.record(A, Outcome.response(500), ticker.nanos());
      OutlierEvent ejected = events.get(events.size() - 1);
      assertEquals(OutlierEvent.Type.EJECTED, ejected.type());
      assertEquals(expected * SECOND, ejected.untilNanos() - ticker.nanos(), ejected.reason());
      ticker.advance(Duration.ofSeconds(expected));
    }
    // And the count stops at 10 (300 s / 30 s): decay needs 10 intervals, not 12
    detector.returnDue(ticker.nanos());
    assertEquals(10, detector.state(A, ticker.nanos()).timesEjected());
  }

  @Test
  void theCountDecaysByOneForEachHealthyIntervalAfterReturning() {
    // Given A ejected three times in a row (30 s, 60 s, 90 s) with a 10 s interval
    OutlierDetector detector = detector(Specs.outlier(1, 0, 0, 50, true), A, B);
    for (int i = 1; i <= 3; i++) {
      detector.record(A, Outcome.response(500), ticker.nanos());
      ticker.advance(Duration.ofSeconds(30L * i));
    }
    detector.returnDue(ticker.nanos());
    record Row(long secondsAfterReturn, int timesEjected) {}
    long returned = ticker.nanos();
    // Then the count drops one step per full interval in rotation, down to 0
    for (Row row : List.of(new Row(0, 3), new Row(9, 3), new Row(10, 2), new Row(25, 1),
        new Row(30, 0), new Row(500, 0))) {
      long now = returned + row.secondsAfterReturn() * SECOND;
      assertEquals(row.timesEjected(), detector.state(A, now).timesEjected(), row.toString());
    }
    // When A fails 15 s after its return (one step of decay: 3 -> 2)
    ticker.advance(Duration.ofSeconds(15));
    OutlierEvent e = detector.record(A, Outcome.response(500), ticker.nanos()).get(0);
    // Then its next ejection is the third in a row, 3 x 30 s, not the fourth
    assertEquals(90 * SECOND, e.untilNanos() - ticker.nanos(), e.reason());
  }

  @Test
  void theEjectionCapKeepsTheLastInstanceInRotationAndReportsOverflowOnce() {
    // Given two instances and at most 50 % ejected
    OutlierDetector detector = detector(Specs.outlier(2, 0, 0, 50, false), A, B);

    // When A fails twice / Then A is ejected (100 x 1 / 2 = 50 <= 50)
    assertEquals(1, record(detector, A, Outcome.response(500), 2).size());

    // When B fails twice, then twice more / Then it stays in: one overflow event, then silence
    assertEquals(List.of("web/1 OVERFLOW: 2 consecutive 5xx responses, but not ejected: 1 of 2 "
        + "instances already ejected (max-ejection-percent 50)"),
        record(detector, B, Outcome.response(500), 2));
    assertEquals(List.of(), record(detector, B, Outcome.response(500), 2));
    assertFalse(detector.isEjected(B, ticker.nanos()));

    // When A's time is up and B fails once more / Then A returns and B is ejected at once
    ticker.advance(Duration.ofSeconds(30));
    assertEquals(List.of("web/0 RETURNED: ejection time is over",
        "web/1 EJECTED: 5 consecutive 5xx responses; ejected for 30s (ejection 1 in a row)"),
        record(detector, B, Outcome.response(500), 1));
  }

  @Test
  void envoysTenPercentEjectsNothingBelowTenHostsUnlessAlwaysEjectOne() {
    // Given three instances and Envoy's 10 %: 100 x 1 / 3 = 33 > 10
    OutlierDetector strict = detector(Specs.outlier(1, 0, 0, 10, false), A, B, C);
    OutlierDetector one = detector(Specs.outlier(1, 0, 0, 10, true), A, B, C);

    // When A fails / Then only always-eject-one ejects it
    assertEquals(OutlierEvent.Type.OVERFLOW,
        strict.record(A, Outcome.response(500), ticker.nanos()).get(0).type());
    assertEquals(OutlierEvent.Type.EJECTED,
        one.record(A, Outcome.response(500), ticker.nanos()).get(0).type());

    // And with one out, always-eject-one allows no second
    assertEquals(OutlierEvent.Type.OVERFLOW,
        one.record(B, Outcome.response(500), ticker.nanos()).get(0).type());
  }

  @Test
  void aHundredPercentMayEjectEveryInstance() {
    OutlierDetector detector = detector(Specs.outlier(1, 0, 0, 100, false), A, B);
    record(detector, A, Outcome.response(503), 1);
    record(detector, B, Outcome.response(503), 1);
    assertTrue(detector.isEjected(A, ticker.nanos()) && detector.isEjected(B, ticker.nanos()));
  }

  @Test
  void outcomesOfAnEjectedInstanceAreIgnored() {
    // Given A ejected
    OutlierDetector detector = detector(Specs.outlier(1, 0, 0, 50, true), A, B);
    record(detector, A, Outcome.response(500), 1);

    // When its requests in flight fail too / Then nothing is counted
    assertEquals(List.of(), record(detector, A, Outcome.response(500), 3));
    assertEquals(0, detector.state(A, ticker.nanos()).consecutive5xx());
  }

  @Test
  void zeroThresholdsAreOff() {
    OutlierDetector detector = detector(Specs.outlier(0, 0, 0, 100, true), A, B);
    assertEquals(List.of(), record(detector, A, Outcome.response(502), 50));
    assertEquals(List.of(), record(detector, A, Outcome.connectFailure(), 50));
  }

  @Test
  void anInstanceThatLeavesIsForgottenAndUnknownOnesAreIgnored() {
    // Given A ejected
    OutlierDetector detector = detector(Specs.outlier(1, 0, 0, 50, true), A, B);
    record(detector, A, Outcome.response(500), 1);

    // When A leaves the list and comes back / Then it starts clean
    detector.hosts(List.of(B));
    assertEquals(OptionalLong.empty(), detector.nextReturn());
    detector.hosts(List.of(A, B));
    assertEquals(new OutlierState(false, 0, 0, 0, 0, 0), detector.state(A, ticker.nanos()));

    // And outcomes of an instance it does not know change nothing
    assertEquals(List.of(), record(detector, C, Outcome.response(500), 5));
  }

  @Test
  void anEjectedInstanceThatLeavesNoLongerCountsAgainstTheCap() {
    // Given A and B with a 50 % cap, A ejected (one of two: the cap is reached)
    OutlierDetector detector = detector(Specs.outlier(5, 0, 5, 50, false), A, B);
    record(detector, A, Outcome.response(500), 5);
    assertTrue(detector.isEjected(A, ticker.nanos()));
    assertTrue(record(detector, B, Outcome.response(500), 5).get(0).contains("but not ejected"));

    // When A leaves and comes back (its readiness vouched for it)
    detector.hosts(List.of(B));
    detector.hosts(List.of(A, B));

    // Then nobody is ejected, so B's next 5xx ejects B
    assertFalse(detector.isEjected(A, ticker.nanos()));
    assertEquals(List.of("web/1 EJECTED: 6 consecutive 5xx responses; ejected for 30s "
        + "(ejection 1 in a row)"), record(detector, B, Outcome.response(500), 1));
  }
}

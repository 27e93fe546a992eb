package io.vigil.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.time.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ProbeAgendaTest {
  private static final long MS = 1_000_000L;
  /** Not a multiple of the tick, and negative: System.nanoTime() may be either. */
  private final FakeTicker ticker = new FakeTicker(-7_009 * MS);
  private final ProbeAgenda<String> agenda = new ProbeAgenda<>(Duration.ofMillis(10));

  @Test
  void probesDueWithinOneTickGoOutTogetherAtTheTickAfterThem() {
    // Given: now is -7009 ms; due at -7008, -7005 and -6997 ms; ticks at -7000, -6990 ms
    long now = ticker.nanos();
    agenda.plan("a", now + 1 * MS);
    agenda.plan("b", now + 4 * MS);
    agenda.plan("c", now + 12 * MS);

    // When
    long wakeUp = agenda.nextTickNanos();

    // Then: one wake-up at -7000 ms serves the two due before it; c is on the next tick
    assertEquals(-7_000 * MS, wakeUp);
    assertEquals(List.of(), agenda.takeDue(wakeUp - 1).keys());
    assertEquals(List.of("a", "b"), agenda.takeDue(wakeUp).keys());
    assertEquals(-6_990 * MS, agenda.nextTickNanos());
    assertEquals(List.of("c"), agenda.takeDue(ticker.advance(Duration.ofMillis(30)).nanos()).keys());
  }

  @Test
  void aWakeUpLaunchesForTheLastTickAtOrBeforeIt() {
    assertEquals(-7_010 * MS, agenda.takeDue(-7_009 * MS).tick());
    assertEquals(-7_000 * MS, agenda.takeDue(-7_000 * MS).tick());
    assertEquals(20 * MS, agenda.takeDue(29 * MS + 999_999).tick());
  }

  @Test
  void probesLaunchedForTheirTickKeepTheirPeriodThoughTheLoopWakesLate() {
    // Given a probe every second, and a control loop that always wakes 0.3 ms after the tick and
    // gets each result 1 ms after that, as the probe runner does
    ProbeSpec everySecond = new ProbeSpec(new CheckSpec.Tcp(OptionalInt.empty()), Duration.ZERO,
        Duration.ofSeconds(1), Duration.ofMillis(500), 1, 3);
    InstanceProbes probes = new InstanceProbes(
        new ProbesSpec(Optional.empty(), Optional.of(everySecond), Optional.empty()),
        ticker.nanos(), false);
    agenda.plan("a", probes.nextDueNanos());
    long firstTick = agenda.nextTickNanos();

    // When it runs 60 periods
    long lastTick = 0;
    for (int i = 0; i < 60; i++) {
      long now = agenda.nextTickNanos() + 300_000;
      ProbeAgenda.Due<String> due = agenda.takeDue(now);
      lastTick = due.tick();
      assertEquals(List.of("a"), due.keys());
      assertEquals(List.of(ProbeKind.LIVENESS), probes.due(lastTick));
      probes.onResult(ProbeKind.LIVENESS, CheckOutcome.success("ok"), now + 1_000_000);
      agenda.plan("a", probes.nextDueNanos());
    }

    // Then the 60th launch is 59 s after the first, not 59 ticks later
    assertEquals(firstTick + 59_000 * MS, lastTick);
  }

  @Test
  void aProbeDueExactlyOnATickIsNotDelayed() {
    // Given
    agenda.plan("a", -6_990 * MS);

    // Then
    assertEquals(-6_990 * MS, agenda.nextTickNanos());
  }

  @Test
  void probesThatShareATickKeepSharingItPeriodAfterPeriod() {
    // Given: two instances due 3 ms apart within one tick, probed every second
    long period = 1_000 * MS;
    agenda.plan("a", ticker.nanos() + 2 * MS);
    agenda.plan("b", ticker.nanos() + 5 * MS);

    // When: each is launched at its wake-up and planned one period after the launch
    for (int round = 0; round < 3; round++) {
      long wakeUp = agenda.nextTickNanos();
      List<String> due = agenda.takeDue(wakeUp).keys();

      // Then: one wake-up per period, for both
      assertEquals(List.of("a", "b"), due);
      due.forEach(key -> agenda.plan(key, wakeUp + period));
    }
  }

  @Test
  void replanningMovesAKeyAndNothingDueMeansNoPlan() {
    // Given
    agenda.plan("a", 50 * MS);
    agenda.plan("b", 80 * MS);

    // When
    agenda.plan("a", 100 * MS);
    agenda.plan("b", Long.MAX_VALUE);

    // Then
    assertEquals(1, agenda.size());
    assertEquals(100 * MS, agenda.nextTickNanos());
    assertEquals(List.of("a"), agenda.takeDue(100 * MS).keys());
    assertEquals(Long.MAX_VALUE, agenda.nextTickNanos());
  }

  @Test
  void aKeyMovedAwayAndBackIsDueOnceAtTheTickItCameBackTo() {
    // Given
    agenda.plan("a", 10 * MS);
    agenda.plan("b", 10 * MS);

    // When a moves to 20 ms and back to 10 ms, and b moves to 30 ms
    agenda.plan("a", 20 * MS);
    agenda.plan("a", 10 * MS);
    agenda.plan("b", 30 * MS);

    // Then a is due once at 10 ms, nothing at 20 ms, b at 30 ms
    assertEquals(2, agenda.size());
    assertEquals(List.of("a"), agenda.takeDue(10 * MS).keys());
    assertEquals(30 * MS, agenda.nextTickNanos(), "the 20 ms tick has nobody left");
    assertEquals(List.of("b"), agenda.takeDue(30 * MS).keys());
    assertEquals(0, agenda.size());
  }

  @Test
  void aKeyTakenAndPlannedAgainIsDueAgain() {
    // Given a key taken at its tick, then planned one period later, as after each probe result
    agenda.plan("a", 10 * MS);
    assertEquals(List.of("a"), agenda.takeDue(10 * MS).keys());
    agenda.plan("a", Long.MAX_VALUE); // in flight
    assertEquals(0, agenda.size());

    // When
    agenda.plan("a", 1_010 * MS);

    // Then
    assertEquals(List.of(), agenda.takeDue(1_000 * MS).keys());
    assertEquals(List.of("a"), agenda.takeDue(1_010 * MS).keys());
  }

  @Test
  void aKeyMovingInAndOutOfAFarTickDoesNotGrowItsBucket() {
    // Given a key planned 10 s ahead, as a long liveness period
    agenda.plan("far", 10_000 * MS);

    // When another key moves in and out of that tick a thousand times, as an instance does whose
    // readiness probe is launched and answered every second while its liveness probe waits
    for (int i = 0; i < 1_000; i++) {
      agenda.plan("busy", 10_000 * MS);
      agenda.plan("busy", 1_000 * MS);
    }
    agenda.plan("busy", 10_000 * MS);

    // Then the bucket holds a few entries, not two thousand, and each key is due once, in order
    assertTrue(agenda.entriesAt(10_000 * MS) <= 2 * 2 + 16, "" + agenda.entriesAt(10_000 * MS));
    assertEquals(List.of(), agenda.takeDue(1_000 * MS).keys());
    assertEquals(List.of("far", "busy"), agenda.takeDue(10_000 * MS).keys());
  }

  @Test
  void aTickAtTheStartOfTimeIsARealTick() {
    // Given a tick of 2^20 ns, of which Long.MIN_VALUE is a multiple
    ProbeAgenda<String> binary = new ProbeAgenda<>(Duration.ofNanos(1L << 20));

    // When
    binary.plan("a", Long.MIN_VALUE);

    // Then
    assertEquals(1, binary.size());
    assertEquals(List.of("a"), binary.takeDue(Long.MIN_VALUE).keys());
  }

  @Test
  void aCancelledKeyIsNeverDue() {
    // Given
    agenda.plan("a", 10 * MS);
    agenda.plan("b", 10 * MS);

    // When
    agenda.cancel("a");
    agenda.cancel("never planned");

    // Then
    assertEquals(List.of("b"), agenda.takeDue(10 * MS).keys());
    assertEquals(0, agenda.size());
  }

  @Test
  void aLateWakeUpTakesEveryOverdueTickInOrder() {
    // Given
    agenda.plan("late", 30 * MS);
    agenda.plan("early", 10 * MS);
    agenda.plan("middle", 20 * MS);

    // When: the loop was busy and wakes up after all three ticks
    List<String> due = agenda.takeDue(45 * MS).keys();

    // Then
    assertEquals(List.of("early", "middle", "late"), due);
  }

  @Test
  void aDueTimeNearTheEndOfTimeDoesNotOverflow() {
    // When
    agenda.plan("a", Long.MAX_VALUE - 1);

    // Then
    assertEquals(Long.MAX_VALUE, agenda.nextTickNanos());
  }

  @Test
  void theTickMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ProbeAgenda<>(Duration.ZERO));
  }
}

package io.vigil.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.time.FakeTicker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The watchdog's step on a fake clock: beats are called by hand, heartbeats answered by hand. */
class WatchdogTest {
  private static final Duration INTERVAL = Duration.ofSeconds(15); // WatchdogSec=30s
  private static final List<String> ONE_PING = List.of("WATCHDOG=1");

  private final FakeTicker ticker = new FakeTicker(7_000_000_000_000L);
  private final FakeHeartbeat heartbeat = new FakeHeartbeat();
  private final RecordingSink systemd = new RecordingSink();
  private final Watchdog watchdog =
      new Watchdog(heartbeat, INTERVAL.toNanos(), ticker, systemd, Runnable::run);

  @Test
  void heartbeatAnsweredWithinTheIntervalSendsOnePing() {
    // Given a beat
    watchdog.beat();

    // When the control loop answers 3 ms later
    ticker.advance(Duration.ofMillis(3));
    heartbeat.answer();

    // Then systemd gets one ping
    assertEquals(ONE_PING, systemd.sent());
    assertEquals(0, watchdog.missed());
  }

  @Test
  void answerExactlyAtTheIntervalStillCounts() {
    watchdog.beat();
    ticker.advance(INTERVAL);
    heartbeat.answer();
    assertEquals(ONE_PING, systemd.sent());
  }

  @Test
  void healthyLoopPingsOnEveryBeat() {
    // Given a control loop that answers every beat within a millisecond
    for (int beat = 0; beat < 3; beat++) {
      watchdog.beat();
      ticker.advance(Duration.ofMillis(1));
      heartbeat.answer();
      ticker.advance(INTERVAL.minusMillis(1));
    }

    // Then one ping per beat
    assertEquals(List.of("WATCHDOG=1", "WATCHDOG=1", "WATCHDOG=1"), systemd.sent());
    assertEquals(3, heartbeat.calls());
  }

  @Test
  void stuckControlLoopSendsNothingAndIsNotPingedAgain() {
    // Given a heartbeat that never answers
    watchdog.beat();

    // When four more beats come
    for (int beat = 0; beat < 4; beat++) {
      ticker.advance(INTERVAL);
      watchdog.beat();
    }

    // Then no ping, each beat is a miss, and the stuck loop got no second heartbeat to queue
    assertEquals(List.of(), systemd.sent());
    assertEquals(4, watchdog.missed());
    assertEquals(1, heartbeat.calls());
  }

  @Test
  void lateAnswerSendsNothing() {
    // Given a beat
    watchdog.beat();

    // When the answer comes one nanosecond after the interval
    ticker.advance(INTERVAL).advanceNanos(1);
    heartbeat.answer();

    // Then no ping: systemd must not hear that a slow loop is fine
    assertEquals(List.of(), systemd.sent());
    assertEquals(1, watchdog.missed());
  }

  @Test
  void lateAnswerAlreadyMissedByABeatCountsOnceAndTheNextBeatPingsAgain() {
    // Given a heartbeat that a beat found unanswered
    watchdog.beat();
    ticker.advance(INTERVAL);
    watchdog.beat();
    assertEquals(1, watchdog.missed());

    // When it answers late, and the next beat is answered in time
    ticker.advance(Duration.ofSeconds(1));
    heartbeat.answer();
    ticker.advance(INTERVAL.minusSeconds(1));
    watchdog.beat();
    heartbeat.answer();

    // Then the late answer sent nothing and was not counted twice; the loop pings again
    assertEquals(1, watchdog.missed());
    assertEquals(2, heartbeat.calls());
    assertEquals(ONE_PING, systemd.sent());
  }

  @Test
  void failedHeartbeatSendsNothing() {
    // Given a heartbeat that fails, as a closed control loop's would
    watchdog.beat();
    heartbeat.fail(new IllegalStateException("control loop closed"));

    // Then no ping; the next beat tries again
    assertEquals(List.of(), systemd.sent());
    assertEquals(1, watchdog.missed());
    ticker.advance(INTERVAL);
    watchdog.beat();
    heartbeat.answer();
    assertEquals(ONE_PING, systemd.sent());
  }

  @Test
  void heartbeatThatThrowsIsAMissAndTheNextBeatTriesAgain() {
    // Given a heartbeat that throws instead of returning a future
    heartbeat.throwOnNextCall(new IllegalStateException("boom"));

    // When the watchdog beats twice
    watchdog.beat();
    ticker.advance(INTERVAL);
    watchdog.beat();
    heartbeat.answer();

    // Then the first beat was a miss, not an exception, and the second pinged
    assertEquals(1, watchdog.missed());
    assertEquals(ONE_PING, systemd.sent());
  }

  @Test
  void nullFutureIsAMiss() {
    Watchdog w = new Watchdog(() -> null, INTERVAL.toNanos(), ticker, systemd, Runnable::run);
    w.beat();
    assertEquals(1, w.missed());
    assertEquals(List.of(), systemd.sent());
  }

  @Test
  void answersAreHandledOnTheWatchdogsExecutorNotOnTheControlLoop() {
    // Given an executor that only runs what the test releases (the watchdog's thread)
    Queue<Runnable> watchdogThread = new ArrayDeque<>();
    Watchdog w = new Watchdog(heartbeat, INTERVAL.toNanos(), ticker, systemd,
        watchdogThread::add);
    w.beat();

    // When the control loop answers
    ticker.advance(Duration.ofMillis(2));
    heartbeat.answer();

    // Then nothing is sent from the answering thread; the watchdog's thread sends it
    assertEquals(List.of(), systemd.sent());
    assertEquals(1, watchdogThread.size());
    watchdogThread.remove().run();
    assertEquals(ONE_PING, systemd.sent());
  }

  @Test
  void answeredHeartbeatWhoseCompletionIsStillQueuedIsNotAMiss() {
    // Given an answer whose completion has not run yet when the next beat comes
    Queue<Runnable> watchdogThread = new ArrayDeque<>();
    Watchdog w = new Watchdog(heartbeat, INTERVAL.toNanos(), ticker, systemd,
        watchdogThread::add);
    w.beat();
    heartbeat.answer();
    ticker.advance(INTERVAL);

    // When the beat runs first, then the queued completion
    w.beat();
    watchdogThread.remove().run();

    // Then the beat started a new heartbeat instead of reporting a miss
    assertEquals(0, w.missed());
    assertEquals(2, heartbeat.calls());
    assertEquals(ONE_PING, systemd.sent());
  }

  @Test
  void missIsLoggedAsAWarningWithTheWait() {
    // Given a record of the watchdog's log
    Logger log = Logger.getLogger(Watchdog.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(handler);
    try {
      // When a heartbeat is still unanswered at the next beat
      watchdog.beat();
      ticker.advance(INTERVAL);
      watchdog.beat();
    } finally {
      log.removeHandler(handler);
    }

    // Then one warning says how long, the limit, and what systemd will do
    assertEquals(1, records.size(), records.toString());
    assertEquals(Level.WARNING, records.get(0).getLevel());
    assertEquals("the control loop has not answered the watchdog heartbeat for 15s (limit 15s);"
        + " WATCHDOG=1 withheld, 1 missed in a row: systemd restarts Vigil when WatchdogSec"
        + " passes without one", records.get(0).getMessage());
  }

  @Test
  void rejectsANonPositiveInterval() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Watchdog(heartbeat, 0, ticker, systemd, Runnable::run));
    assertTrue(e.getMessage().contains("intervalNanos must be > 0 (got 0)"), e.getMessage());
  }
}

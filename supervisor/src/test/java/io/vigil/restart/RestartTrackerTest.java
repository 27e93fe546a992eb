package io.vigil.restart;

import static io.vigil.restart.RestartDecision.Action.GIVE_UP;
import static io.vigil.restart.RestartDecision.Action.RESTART;
import static io.vigil.restart.RestartDecision.Action.STAY_DOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.restart.RestartDecision.Action;
import io.vigil.time.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RestartTrackerTest {

  /** Backoff 1s doubling to 8s, no jitter; reset after 60s up; give up after 5 restarts in 5m. */
  static RestartSpec spec(RestartPolicy policy) {
    return spec(policy, Duration.ofSeconds(60), 5, Duration.ofMinutes(5));
  }

  static RestartSpec spec(RestartPolicy policy, Duration resetAfter, int giveUpRestarts,
      Duration giveUpWithin) {
    return new RestartSpec(policy,
        new BackoffSpec(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.0),
        resetAfter, new GiveUpSpec(giveUpRestarts, giveUpWithin));
  }

  // A large, odd start: nothing may assume the ticker starts at 0.
  final FakeTicker ticker = new FakeTicker(123_456_789_000L);

  enum Event { CRASH, CLEAN_EXIT, UNHEALTHY }

  /**
   * One step of a timeline: after waiting {@code upMs} since the previous step, the process
   * launched then (if the previous decision was RESTART, after its delay) ends with {@code event}.
   */
  record Step(long upMs, Event event, Action action, long delayMs) {}

  static Step step(long upMs, Event event, Action action, long delayMs) {
    return new Step(upMs, event, action, delayMs);
  }

  /** Runs a timeline: start, stay up, end, then wait out the decided delay before the next. */
  void run(RestartTracker tracker, List<Step> timeline) {
    for (int i = 0; i < timeline.size(); i++) {
      Step s = timeline.get(i);
      tracker.onStarted(ticker.nanos());
      ticker.advance(Duration.ofMillis(s.upMs));
      RestartDecision d = end(tracker, s.event);
      String at = "step " + i + " " + s + " -> " + d;
      assertEquals(s.action, d.action(), at);
      assertEquals(Duration.ofMillis(s.delayMs).toNanos(), d.delayNanos(), at);
      ticker.advanceNanos(d.delayNanos());
    }
  }

  RestartDecision end(RestartTracker tracker, Event event) {
    return switch (event) {
      case CRASH -> tracker.onExit(false, "exit code 1", ticker.nanos());
      case CLEAN_EXIT -> tracker.onExit(true, "exit code 0", ticker.nanos());
      case UNHEALTHY -> tracker.onUnhealthy("liveness probe failed", ticker.nanos());
    };
  }

  @Test
  void policyTable() {
    record Row(RestartPolicy policy, Event event, Action expected) {}
    List<Row> table = List.of(
        new Row(RestartPolicy.NEVER, Event.CRASH, STAY_DOWN),
        new Row(RestartPolicy.NEVER, Event.CLEAN_EXIT, STAY_DOWN),
        new Row(RestartPolicy.NEVER, Event.UNHEALTHY, STAY_DOWN),
        new Row(RestartPolicy.ON_FAILURE, Event.CRASH, RESTART),
        new Row(RestartPolicy.ON_FAILURE, Event.CLEAN_EXIT, STAY_DOWN),
        new Row(RestartPolicy.ON_FAILURE, Event.UNHEALTHY, RESTART),
        new Row(RestartPolicy.ALWAYS, Event.CRASH, RESTART),
        new Row(RestartPolicy.ALWAYS, Event.CLEAN_EXIT, RESTART),
        new Row(RestartPolicy.ALWAYS, Event.UNHEALTHY, RESTART));
    for (Row row : table) {
      RestartTracker tracker = new RestartTracker(spec(row.policy), new ScriptedRandom());
      tracker.onStarted(ticker.nanos());
      RestartDecision d = end(tracker, row.event);
      assertEquals(row.expected, d.action(), row.toString());
      assertEquals(row.expected == RESTART ? 1 : 0, tracker.restartCount(), row.toString());
    }
  }

  @Test
  void stayDownReasonsNameThePolicy() {
    RestartTracker never = new RestartTracker(spec(RestartPolicy.NEVER), new ScriptedRandom());
    assertEquals(new RestartDecision(STAY_DOWN, 0, "restart policy is never (exit code 1)"),
        never.onExit(false, "exit code 1", ticker.nanos()));
    assertEquals("restart policy is never", never.onUnhealthy("", ticker.nanos()).reason());
    RestartTracker onFailure =
        new RestartTracker(spec(RestartPolicy.ON_FAILURE), new ScriptedRandom());
    assertEquals("exited successfully; restart policy is on-failure (exit code 0)",
        onFailure.onExit(true, "exit code 0", ticker.nanos()).reason());
  }

  @Test
  void firstRestartIsImmediateThenDelaysGrowToTheCap() {
    RestartTracker tracker = new RestartTracker(
        spec(RestartPolicy.ALWAYS, Duration.ofMinutes(10), 100, Duration.ofMinutes(5)),
        new ScriptedRandom());
    run(tracker, List.of(
        step(1000, Event.CRASH, RESTART, 0),
        step(1000, Event.CRASH, RESTART, 1000),
        step(1000, Event.CRASH, RESTART, 2000),
        step(1000, Event.UNHEALTHY, RESTART, 4000), // an unhealthy kill counts as a crash
        step(1000, Event.CLEAN_EXIT, RESTART, 8000), // ALWAYS: a clean exit too
        step(1000, Event.CRASH, RESTART, 8000),     // capped
        step(1000, Event.CRASH, RESTART, 8000)));
    assertEquals(7, tracker.restartCount());
  }

  @Test
  void reasonsCountRestartsAndSayWhen() {
    RestartTracker tracker = new RestartTracker(spec(RestartPolicy.ALWAYS), new ScriptedRandom());
    tracker.onStarted(ticker.nanos());
    assertEquals("restart 1 immediately (exit code 1)",
        tracker.onExit(false, "exit code 1", ticker.nanos()).reason());
    tracker.onStarted(ticker.nanos());
    assertEquals("restart 2 in 1s (killed by SIGSEGV)",
        tracker.onExit(false, "killed by SIGSEGV", ticker.nanos()).reason());
    tracker.onStarted(ticker.nanos());
    assertEquals("restart 3 in 2s", tracker.onExit(false, null, ticker.nanos()).reason());
  }

  @Test
  void runningForResetAfterForgetsPastRestarts() {
    RestartTracker tracker =
        new RestartTracker(spec(RestartPolicy.ON_FAILURE), new ScriptedRandom());
    run(tracker, List.of(
        step(1000, Event.CRASH, RESTART, 0),
        step(1000, Event.CRASH, RESTART, 1000),
        step(1000, Event.CRASH, RESTART, 2000),
        step(59_999, Event.CRASH, RESTART, 4000), // 1ms short of resetAfter: no reset
        step(60_000, Event.CRASH, RESTART, 0),    // ran resetAfter: starts over, immediate
        step(1000, Event.CRASH, RESTART, 1000),
        step(70_000, Event.UNHEALTHY, RESTART, 0))); // also for an unhealthy kill
    assertEquals(7, tracker.restartCount()); // the metric is never reset
  }

  @Test
  void resetAfterAlsoClearsTheGiveUpWindow() {
    // Given: 3 restarts allowed in 10 minutes, reset after 60s up
    RestartTracker tracker = new RestartTracker(
        spec(RestartPolicy.ALWAYS, Duration.ofSeconds(60), 3, Duration.ofMinutes(10)),
        new ScriptedRandom());
    run(tracker, List.of(
        step(100, Event.CRASH, RESTART, 0),
        step(100, Event.CRASH, RESTART, 1000),
        step(100, Event.CRASH, RESTART, 2000),
        step(60_000, Event.CRASH, RESTART, 0),  // would be the 4th in 10m, but it ran 60s
        step(100, Event.CRASH, RESTART, 1000),
        step(100, Event.CRASH, RESTART, 2000),
        step(100, Event.CRASH, GIVE_UP, 0)));
  }

  @Test
  void givesUpWhenTheWindowAlreadyHoldsTheAllowedRestarts() {
    // Given: 5 restarts within 5m
    RestartTracker tracker = new RestartTracker(spec(RestartPolicy.ALWAYS), new ScriptedRandom());
    run(tracker, List.of(
        step(500, Event.CRASH, RESTART, 0),
        step(500, Event.CRASH, RESTART, 1000),
        step(500, Event.CRASH, RESTART, 2000),
        step(500, Event.CRASH, RESTART, 4000),
        step(500, Event.CRASH, RESTART, 8000),
        step(500, Event.CRASH, GIVE_UP, 0)));
    assertEquals(5, tracker.restartCount());
    // a give-up is not a restart, and it stays given up
    tracker.onStarted(ticker.nanos());
    RestartDecision again = tracker.onUnhealthy("memory over limit", ticker.nanos());
    assertEquals(new RestartDecision(GIVE_UP, 0, "crash loop: 5 restarts within 5m; giving up"
        + " until an operator restarts it (memory over limit)"), again);
    assertEquals(5, tracker.restartCount());
  }

  @Test
  void theGiveUpWindowSlides() {
    // Given: 3 restarts within 60s; restarts decided at t = 0s, 10s, 20s
    RestartTracker tracker = new RestartTracker(
        spec(RestartPolicy.ALWAYS, Duration.ofHours(1), 3, Duration.ofSeconds(60)),
        new ScriptedRandom());
    long t0 = ticker.nanos();
    for (long at : new long[] {0, 10, 20}) {
      assertEquals(RESTART, exitAt(tracker, t0, at).action());
    }
    // Then: at 60s the restart at 0s is still inside the window (inclusive) ...
    assertEquals(GIVE_UP, exitAt(tracker, t0, 60).action());
    // ... and 1ns later it has slid out: 2 in the window, so one more restart is allowed
    assertEquals(RESTART, tracker.onExit(false, "exit code 1", t0 + secs(60) + 1).action());
    // now 10s, 20s, 60s+1ns are in the window
    assertEquals(GIVE_UP, exitAt(tracker, t0, 70).action());
    assertEquals(RESTART, tracker.onExit(false, "exit code 1", t0 + secs(70) + 1).action());
  }

  @Test
  void operatorResetClearsHistoryButNotTheMetric() {
    RestartTracker tracker = new RestartTracker(spec(RestartPolicy.ALWAYS), new ScriptedRandom());
    run(tracker, List.of(
        step(100, Event.CRASH, RESTART, 0),
        step(100, Event.CRASH, RESTART, 1000),
        step(100, Event.CRASH, RESTART, 2000),
        step(100, Event.CRASH, RESTART, 4000),
        step(100, Event.CRASH, RESTART, 8000),
        step(100, Event.CRASH, GIVE_UP, 0)));
    // When
    tracker.reset();
    // Then: a fresh start, as if it had never crashed
    run(tracker, List.of(
        step(100, Event.CRASH, RESTART, 0),
        step(100, Event.CRASH, RESTART, 1000)));
    assertEquals(7, tracker.restartCount());
  }

  @Test
  void anExitWithoutAStartDoesNotCountAsHealthyRunning() {
    // e.g. the launch itself failed: the control loop reports it as a failed exit
    RestartTracker tracker = new RestartTracker(spec(RestartPolicy.ALWAYS), new ScriptedRandom());
    tracker.onStarted(ticker.nanos());
    assertEquals(0, tracker.onExit(false, "exit code 1", ticker.nanos()).delayNanos());
    ticker.advance(Duration.ofHours(1));
    RestartDecision launchFailed = tracker.onExit(false, "launch failed: no such file",
        ticker.nanos());
    assertEquals(secs(1), launchFailed.delayNanos());
  }

  @Test
  void survivesTickerWraparound() {
    // System.nanoTime may be any value, including near Long.MAX_VALUE; differences still work
    FakeTicker wrap = new FakeTicker(Long.MAX_VALUE - secs(1));
    RestartTracker tracker = new RestartTracker(spec(RestartPolicy.ALWAYS), new ScriptedRandom());
    tracker.onStarted(wrap.nanos());
    assertEquals(0, tracker.onExit(false, "x", wrap.nanos()).delayNanos());
    tracker.onStarted(wrap.nanos());
    wrap.advance(Duration.ofSeconds(61)); // wraps to negative; ran >= resetAfter
    assertTrue(wrap.nanos() < 0);
    assertEquals(new RestartDecision(RESTART, 0, "restart 1 immediately (x)"),
        tracker.onExit(false, "x", wrap.nanos()));
  }

  @Test
  void jitteredDelaysComeFromTheInjectedRandom() {
    RestartSpec jittery = new RestartSpec(RestartPolicy.ALWAYS,
        new BackoffSpec(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.5),
        Duration.ofMinutes(1), new GiveUpSpec(100, Duration.ofMinutes(5)));
    RestartTracker a = new RestartTracker(jittery, new SplittableRandom(3));
    RestartTracker b = new RestartTracker(jittery, new SplittableRandom(3));
    for (int i = 0; i < 10; i++) {
      long da = a.onExit(false, "x", ticker.nanos()).delayNanos();
      assertEquals(da, b.onExit(false, "x", ticker.nanos()).delayNanos());
      long base = i == 0 ? 0 : Math.min(secs(8), secs(1) << (i - 1));
      assertTrue(da >= base / 2 && da <= base * 3 / 2, "restart " + i + ": " + da);
    }
  }

  private RestartDecision exitAt(RestartTracker tracker, long t0, long seconds) {
    return tracker.onExit(false, "exit code 1", t0 + secs(seconds));
  }

  private static long secs(long seconds) {
    return Duration.ofSeconds(seconds).toNanos();
  }
}

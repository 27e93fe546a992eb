package io.vigil.systemd;

import io.vigil.time.HumanDuration;
import io.vigil.time.Ticker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The step of the systemd watchdog: each {@link #beat()} starts one heartbeat (a round trip
 * through the control loop) and, when it answers within one interval, sends {@code WATCHDOG=1}.
 * A heartbeat that answers late, fails, or is still unanswered at the next beat sends nothing,
 * so a stuck control loop stops the pings and systemd restarts Vigil after {@code WatchdogSec}.
 * An unanswered heartbeat is not joined by a new one: a stuck loop does not pile up pings.
 *
 * <p>Not thread-safe: {@link #beat()} and the completions (run on the {@code callbacks}
 * executor) must all run on one thread, the watchdog's own in production.
 */
final class Watchdog {
  private static final Logger LOG = System.getLogger(Watchdog.class.getName());
  static final String PING = "WATCHDOG=1";

  private final Supplier<CompletableFuture<Void>> heartbeat;
  private final long intervalNanos;
  private final Ticker ticker;
  private final NotifySink sink;
  private final Executor callbacks;

  private CompletableFuture<Void> pending;
  private long pendingSince;
  private boolean pendingCounted;
  private int missedInARow;
  private long missedTotal;

  Watchdog(Supplier<CompletableFuture<Void>> heartbeat, long intervalNanos, Ticker ticker,
      NotifySink sink, Executor callbacks) {
    if (intervalNanos <= 0) {
      throw new IllegalArgumentException("intervalNanos must be > 0 (got " + intervalNanos + ")");
    }
    this.heartbeat = heartbeat;
    this.intervalNanos = intervalNanos;
    this.ticker = ticker;
    this.sink = sink;
    this.callbacks = callbacks;
  }

  /** One tick of the loop, every interval. */
  void beat() {
    long now = ticker.nanos();
    if (pending != null && !pending.isDone()) {
      pendingCounted = true;
      missed("the control loop has not answered the watchdog heartbeat for "
          + HumanDuration.format(now - pendingSince), true);
      return;
    }
    CompletableFuture<Void> answer;
    try {
      answer = heartbeat.get();
    } catch (RuntimeException e) {
      missed("the watchdog heartbeat could not be started: " + e, true);
      return;
    }
    if (answer == null) {
      missed("bug: the watchdog heartbeat returned null instead of a future", true);
      return;
    }
    pending = answer;
    pendingSince = now;
    pendingCounted = false;
    answer.whenCompleteAsync((ignored, error) -> answeredGuarded(answer, now, error), callbacks);
  }

  private void answeredGuarded(CompletableFuture<Void> answer, long started, Throwable error) {
    try {
      answered(answer, started, error);
    } catch (RuntimeException e) {
      // whenCompleteAsync would keep this in a future nobody reads.
      LOG.log(Level.ERROR, "bug in the systemd watchdog while handling a heartbeat answer", e);
    }
  }

  private void answered(CompletableFuture<Void> answer, long started, Throwable error) {
    // A beat that found this heartbeat unanswered has counted it already.
    boolean counted = pending == answer && pendingCounted;
    if (pending == answer) {
      pending = null;
    }
    long took = ticker.nanos() - started;
    if (error != null) {
      missed("the watchdog heartbeat failed after " + HumanDuration.format(took) + ": " + error,
          !counted);
    } else if (took > intervalNanos) {
      missed("the control loop answered the watchdog heartbeat after "
          + HumanDuration.format(took), !counted);
    } else {
      sink.send(PING);
      if (missedInARow > 0) {
        LOG.log(Level.INFO, "the control loop answers the watchdog heartbeat again after "
            + missedInARow + " missed; " + PING + " resumed");
        missedInARow = 0;
      }
    }
  }

  private void missed(String why, boolean count) {
    if (count) {
      missedInARow++;
      missedTotal++;
    }
    LOG.log(Level.WARNING, why + " (limit " + HumanDuration.format(intervalNanos) + "); "
        + PING + " withheld, " + missedInARow + " missed in a row: systemd restarts Vigil"
        + " when WatchdogSec passes without one");
  }

  /** Heartbeats missed (unanswered, late or failed) since the start. */
  long missed() {
    return missedTotal;
  }
}

package io.vigil.lb.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The timeouts of one event loop, with one Netty timer for all of them: it is set for the
 * earliest head of its {@link TimeoutQueue}s, and moved only when a timeout is armed that is due
 * before it (rare: arms of one queue come in deadline order). Requests that finish in time just
 * unlink their timeout, so under load the timer wakes about once per delay, not once per request.
 * Time is the loop's own ticker, so tests on an EmbeddedChannel move it by hand. Event-loop
 * confined.
 */
final class LoopTimer {
  private static final Logger LOG = System.getLogger(LoopTimer.class.getName());

  private final EventExecutor loop;
  private final List<TimeoutQueue> queues = new ArrayList<>();
  private final Runnable tick = this::tick;
  private ScheduledFuture<?> wake;
  private long wakeAt;
  private boolean ticking;

  LoopTimer(EventExecutor loop) {
    this.loop = loop;
  }

  /** The queue for {@code delayNanos}, made on first use; keep it (one lookup per connection). */
  TimeoutQueue queue(long delayNanos) {
    for (TimeoutQueue q : queues) {
      if (q.delayNanos == delayNanos) {
        return q;
      }
    }
    TimeoutQueue q = new TimeoutQueue(delayNanos, this);
    queues.add(q);
    return q;
  }

  long now() {
    return loop.ticker().nanoTime();
  }

  /** A timeout was armed for {@code at}: wake up by then. */
  void armed(long at) {
    if (!ticking && (wake == null || at - wakeAt < 0)) {
      wakeAt(at);
    }
  }

  private void wakeAt(long at) {
    if (wake != null) {
      wake.cancel(false);
    }
    wakeAt = at;
    wake = loop.schedule(tick, Math.max(0, at - now()), TimeUnit.NANOSECONDS);
  }

  private void tick() {
    wake = null;
    ticking = true;
    try {
      long now = now();
      // Indexed: an expiring timeout may add a queue (a new connection on this loop).
      for (int i = 0; i < queues.size(); i++) {
        queues.get(i).expire(now);
      }
    } finally {
      ticking = false;
    }
    // Only now: an expiring timeout may have armed others, in any queue.
    Timeout first = null;
    for (int i = 0; i < queues.size(); i++) {
      Timeout head = queues.get(i).first();
      if (head != null && (first == null || head.at - first.at < 0)) {
        first = head;
      }
    }
    if (first != null) {
      wakeAt(first.at);
    }
  }

  /** A bug in one timeout's action must not stop the others or the timer. */
  void fire(Timeout due) {
    try {
      due.expired();
    } catch (RuntimeException bug) {
      LOG.log(Level.ERROR, "a load balancer timeout failed", bug);
    }
  }
}

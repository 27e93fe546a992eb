package io.vigil.lb.netty;

/**
 * The armed timeouts of one delay on one event loop, in the order they were armed. Since they
 * share the delay, that is also the order in which they expire: arming appends, cancelling
 * unlinks, and only the head needs watching. HAProxy and nginx keep timer trees; a list per
 * delay is enough here because a service has only a few distinct delays. Not thread-safe: one
 * loop's handlers use it, {@link LoopTimer} fires it.
 */
final class TimeoutQueue {
  final long delayNanos;
  private final LoopTimer timer;
  private Timeout head;
  private Timeout tail;

  TimeoutQueue(long delayNanos, LoopTimer timer) {
    this.delayNanos = delayNanos;
    this.timer = timer;
  }

  /** Arms {@code timeout} to expire {@code delayNanos} from now; re-arms it if it was armed. */
  void arm(Timeout timeout) {
    timeout.cancel();
    timeout.at = timer.now() + delayNanos;
    timeout.queue = this;
    timeout.prev = tail;
    if (tail == null) {
      head = timeout;
    } else {
      tail.next = timeout;
    }
    tail = timeout;
    timer.armed(timeout.at);
  }

  void remove(Timeout timeout) {
    if (timeout.prev == null) {
      head = timeout.next;
    } else {
      timeout.prev.next = timeout.next;
    }
    if (timeout.next == null) {
      tail = timeout.prev;
    } else {
      timeout.next.prev = timeout.prev;
    }
    timeout.queue = null;
    timeout.prev = null;
    timeout.next = null;
  }

  /**
   * Fires every timeout due at {@code now}, oldest first; a timeout armed by one that fires is
   * due later, so this ends.
   */
  void expire(long now) {
    while (head != null && head.at - now <= 0) {
      Timeout due = head;
      remove(due);
      timer.fire(due);
    }
  }

  /** The first armed timeout, due first; null if none. */
  Timeout first() {
    return head;
  }
}

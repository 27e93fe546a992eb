package io.vigil.lb.netty;

/**
 * Something to do if it is not cancelled in time: a request, per-try or header timeout. Armed
 * on the {@link TimeoutQueue} of its delay, where it is a link of an intrusive list, so arming
 * and cancelling allocate nothing and cost O(1) (issue 4: a timer scheduled and cancelled per
 * request was measured on the hot path). Event-loop confined, like its queue.
 */
abstract class Timeout {
  TimeoutQueue queue;
  Timeout prev;
  Timeout next;
  long at;

  /** Called once, on the loop, when the delay passed without {@link #cancel()}. */
  abstract void expired();

  final boolean armed() {
    return queue != null;
  }

  /** Disarms it; no-op if it is not armed (fired, cancelled or never armed). */
  final void cancel() {
    if (queue != null) {
      queue.remove(this);
    }
  }

  /** A timeout that runs {@code action}: one per connection or request, made once, re-armed. */
  static Timeout of(Runnable action) {
    return new Timeout() {
      @Override
      void expired() {
        action.run();
      }
    };
  }
}

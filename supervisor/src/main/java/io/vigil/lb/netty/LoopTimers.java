package io.vigil.lb.netty;

import io.netty.util.concurrent.EventExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link LoopTimer} per event loop, shared by every service on it. A connection looks its
 * loop's timer up once, when it opens, and uses it only from that loop. Thread-safe.
 */
final class LoopTimers {
  private final Map<EventExecutor, LoopTimer> timers = new ConcurrentHashMap<>();

  LoopTimer of(EventExecutor loop) {
    return timers.computeIfAbsent(loop, LoopTimer::new);
  }
}

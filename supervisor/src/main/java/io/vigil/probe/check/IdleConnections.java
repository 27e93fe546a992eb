package io.vigil.probe.check;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The kept-alive HTTP connections between checks, a few per endpoint, reused most recent first.
 *
 * <p>A connection is reused for at most {@link #MAX_AGE}, then closed and replaced by a new one:
 * a kept-alive check never goes through the target's {@code accept()}, so a server whose listener
 * stopped accepting (a full backlog, a stuck accept loop) but still answers on the old connection
 * would pass forever; with the age limit it is noticed within five minutes plus the probe's
 * failure threshold. (Envoy's HTTP health checker reuses its connection for good; a one-minute
 * limit cost 10 connects a second at 500 instances, an eighth of the probe thread's CPU.) Each
 * connection's limit is drawn between {@link #MIN_AGE} and {@link #MAX_AGE}, so that the
 * connections opened together at start-up are not all replaced in the same instant every few
 * minutes (at 500 instances, 500 connects in one burst). The same limit bounds how long a
 * connection of a removed instance stays open: a sweep closes idle connections past it. A
 * connection the server closes while idle leaves the pool at once.
 *
 * <p>Not thread-safe: every method runs on the probe event loop.
 */
final class IdleConnections {
  static final Duration MAX_AGE = Duration.ofMinutes(5);
  static final Duration MIN_AGE = MAX_AGE.multipliedBy(3).dividedBy(4);
  /**
   * Startup, liveness and readiness probes of one instance may all check one port, and liveness
   * and readiness often run at the same moment; more idle connections than that would only ever
   * come from several instances checking one fixed port.
   */
  static final int MAX_PER_ENDPOINT = 3;

  private static final long MAX_AGE_NANOS = MAX_AGE.toNanos();
  private static final long MIN_AGE_NANOS = MIN_AGE.toNanos();

  private final EventLoop loop;
  private final Map<Endpoint, ArrayDeque<ProbeConnection>> idle = new HashMap<>();
  private ScheduledFuture<?> sweep;

  IdleConnections(EventLoop loop) {
    this.loop = loop;
  }

  /** An open idle connection to {@code endpoint} that is young enough, or null. */
  ProbeConnection take(Endpoint endpoint, long now) {
    ArrayDeque<ProbeConnection> connections = idle.get(endpoint);
    while (connections != null && !connections.isEmpty()) {
      ProbeConnection connection = connections.pop();
      if (connection.channel.isActive() && !connection.tooOld(now)) {
        return connection;
      }
      connection.channel.close();
    }
    return null;
  }

  /** Keeps {@code connection} for the next check, or closes it if it is too old or one too many. */
  void offer(ProbeConnection connection, long now) {
    ArrayDeque<ProbeConnection> connections =
        idle.computeIfAbsent(connection.endpoint, e -> new ArrayDeque<>(2));
    if (!connection.channel.isActive()
        || connection.tooOld(now)
        || connections.size() >= MAX_PER_ENDPOINT) {
      connection.channel.close();
      return;
    }
    if (!connection.watched) {
      connection.watched = true;
      connection.channel.closeFuture().addListener(closed -> forget(connection));
    }
    connections.push(connection);
    if (sweep == null) {
      sweep = loop.schedule(this::sweep, MAX_AGE_NANOS, TimeUnit.NANOSECONDS);
    }
  }

  /** A connection's age limit for {@code uniform} in [0, 1): from MIN_AGE up to MAX_AGE. */
  static long maxAgeNanos(double uniform) {
    return MIN_AGE_NANOS + (long) (uniform * (MAX_AGE_NANOS - MIN_AGE_NANOS));
  }

  int size() {
    return idle.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  private void forget(ProbeConnection connection) {
    ArrayDeque<ProbeConnection> connections = idle.get(connection.endpoint);
    if (connections != null && connections.remove(connection) && connections.isEmpty()) {
      idle.remove(connection.endpoint);
    }
  }

  /** Closes the idle connections past their age: those of targets that are no longer checked. */
  private void sweep() {
    long now = loop.ticker().nanoTime();
    for (ArrayDeque<ProbeConnection> connections : idle.values().toArray(ArrayDeque[]::new)) {
      for (ProbeConnection connection : connections.toArray(ProbeConnection[]::new)) {
        if (connection.tooOld(now)) {
          connection.channel.close(); // its close listener forgets it
        }
      }
    }
    idle.values().removeIf(ArrayDeque::isEmpty);
    sweep = idle.isEmpty() ? null : loop.schedule(this::sweep, MAX_AGE_NANOS, TimeUnit.NANOSECONDS);
  }
}

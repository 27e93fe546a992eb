package io.vigil.instance;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where an instance is in its life. The allowed moves are the one table in this enum ({@link
 * #canMoveTo}); {@link InstanceLifecycle} is the only place that applies them.
 *
 * <pre>
 * STARTING → RUNNING | READY | STOPPING | EXITED
 * RUNNING  → READY | STOPPING | EXITED
 * READY    → RUNNING | STOPPING | EXITED
 * STOPPING → EXITED
 * EXITED   → STARTING | BACKOFF | FAILED
 * BACKOFF  → STARTING | EXITED       (EXITED: operator stop)
 * FAILED   → STARTING | EXITED       (STARTING: operator start)
 * </pre>
 *
 * <p>A live state moves to EXITED when its process dies unexpectedly. The one edge outside the
 * table, EXITED → RUNNING for a re-adopted process, is {@link InstanceLifecycle#adopt}.
 */
public enum InstanceState {
  /** Launched; the startup probe (if any) has not passed yet. */
  STARTING,
  /** Started, but not ready to serve (no readiness pass yet, or readiness failing). */
  RUNNING,
  /** Ready to serve traffic. */
  READY,
  /** The stop signal was sent; waiting for the process group to end. */
  STOPPING,
  /** No process. Also the state of an instance that was never started. */
  EXITED,
  /** No process; waiting out the restart delay. */
  BACKOFF,
  /** No process; gave up after a crash loop. Stays down until an operator starts it. */
  FAILED;

  private static final Map<InstanceState, Set<InstanceState>> ALLOWED = table();

  private static Map<InstanceState, Set<InstanceState>> table() {
    Map<InstanceState, Set<InstanceState>> t = new EnumMap<>(InstanceState.class);
    t.put(STARTING, EnumSet.of(RUNNING, READY, STOPPING, EXITED));
    t.put(RUNNING, EnumSet.of(READY, STOPPING, EXITED));
    t.put(READY, EnumSet.of(RUNNING, STOPPING, EXITED));
    t.put(STOPPING, EnumSet.of(EXITED));
    t.put(EXITED, EnumSet.of(STARTING, BACKOFF, FAILED));
    // BACKOFF -> EXITED and FAILED -> EXITED: an operator stop while the instance is down.
    t.put(BACKOFF, EnumSet.of(STARTING, EXITED));
    t.put(FAILED, EnumSet.of(STARTING, EXITED));
    t.replaceAll((from, to) -> Collections.unmodifiableSet(to));
    return Collections.unmodifiableMap(t);
  }

  /** A process exists: STARTING, RUNNING, READY or STOPPING. */
  public boolean isLive() {
    return this == STARTING || this == RUNNING || this == READY || this == STOPPING;
  }

  /** Whether the table allows moving from this state to {@code to}. No state moves to itself. */
  public boolean canMoveTo(InstanceState to) {
    return ALLOWED.get(this).contains(to);
  }

  /** The states this one may move to (read-only). */
  public Set<InstanceState> next() {
    return ALLOWED.get(this);
  }
}

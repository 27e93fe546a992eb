package io.vigil.instance;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of one instance, changed only through {@link #moveTo} (or {@link #adopt}), which
 * checks the move against {@link InstanceState}'s table and returns the {@link Transition} to
 * record. A forbidden move is a bug in the caller and throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * var life = new InstanceLifecycle(new InstanceId("web", 0));        // EXITED
 * log.add(life.moveTo(STARTING, "start requested", at, 1234L, null, null));
 * }</pre>
 *
 * <p>Not thread-safe: owned by the control thread.
 */
public final class InstanceLifecycle {
  private final InstanceId id;
  private InstanceState state = InstanceState.EXITED;

  public InstanceLifecycle(InstanceId id) {
    this.id = Objects.requireNonNull(id, "id");
  }

  public InstanceId id() {
    return id;
  }

  public InstanceState state() {
    return state;
  }

  /**
   * Moves to {@code to} and returns the transition to record.
   *
   * @throws IllegalStateException if the transition table forbids the move (a bug)
   */
  public Transition moveTo(
      InstanceState to, String reason, Instant at, Long pid, Integer exitCode, Integer signal) {
    Objects.requireNonNull(to, "to");
    if (!state.canMoveTo(to)) {
      throw new IllegalStateException(
          id + ": transition " + state + " -> " + to + " is not allowed (wanted for: " + reason
              + "); allowed from " + state + ": " + state.next());
    }
    return apply(to, reason, at, pid, exitCode, signal);
  }

  /**
   * Re-adopts a process that an earlier Vigil run started: EXITED → RUNNING. This one edge is
   * outside the table on purpose: a fresh lifecycle starts in EXITED, and the adopted process has
   * already passed its startup long ago, so it skips STARTING; it is RUNNING (not READY) until its
   * readiness probe passes again.
   *
   * @throws IllegalStateException unless the instance is EXITED (a bug)
   */
  public Transition adopt(String reason, Instant at, long pid) {
    if (state != InstanceState.EXITED) {
      throw new IllegalStateException(
          id + ": cannot adopt pid " + pid + " in state " + state + "; only an EXITED instance");
    }
    return apply(InstanceState.RUNNING, reason, at, pid, null, null);
  }

  private Transition apply(
      InstanceState to, String reason, Instant at, Long pid, Integer exitCode, Integer signal) {
    Transition t = new Transition(at, id, state, to, reason, pid, exitCode, signal);
    state = to;
    return t;
  }

  @Override
  public String toString() {
    return id + " " + state;
  }
}

package io.vigil.probe;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the control loop should do after a probe result, and why.
 *
 * <p>The reason of a {@link Action#NONE} decision is described only when asked for: nearly every
 * probe result decides nothing, and nobody reads why, so building its sentence for each of 500
 * results a second was wasted work. Read it before the next result of the same probe if you need
 * it: it describes the probe's state when it is read.
 *
 * <p>Not thread-safe: read it on the thread that made it (the control thread).
 */
public final class ProbeDecision {

  public enum Action {
    /** Nothing changed. */
    NONE,
    /** The startup probe passed: liveness and readiness probes start running. */
    STARTED,
    /** Readiness started passing: send traffic. */
    READY,
    /** Readiness stopped passing: stop sending traffic; nothing restarts. */
    NOT_READY,
    /** Liveness or startup failed: kill the instance and ask the restart policy. */
    RESTART
  }

  private final Action action;
  private Supplier<String> describe;
  private String reason;

  public ProbeDecision(Action action, String reason) {
    this.action = Objects.requireNonNull(action, "action");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  private ProbeDecision(Supplier<String> describe) {
    this.action = Action.NONE;
    this.describe = describe;
  }

  static ProbeDecision none(String reason) {
    return new ProbeDecision(Action.NONE, reason);
  }

  /** Nothing to do, for a reason described on demand. */
  static ProbeDecision none(Supplier<String> reason) {
    return new ProbeDecision(Objects.requireNonNull(reason, "reason"));
  }

  public Action action() {
    return action;
  }

  public String reason() {
    if (reason == null) {
      reason = Objects.requireNonNull(describe.get(), "reason");
      describe = null;
    }
    return reason;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ProbeDecision that
        && action == that.action && reason().equals(that.reason());
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, reason());
  }

  @Override
  public String toString() {
    return "ProbeDecision[action=" + action + ", reason=" + reason() + "]";
  }
}

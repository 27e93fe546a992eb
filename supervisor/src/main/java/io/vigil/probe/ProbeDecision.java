package io.vigil.probe;

import java.util.Objects;

/** What the control loop should do after a probe result, and why. */
public record ProbeDecision(Action action, String reason) {

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

  public ProbeDecision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
  }

  static ProbeDecision none(String reason) {
    return new ProbeDecision(Action.NONE, reason);
  }
}

package io.vigil.restart;

import java.time.Duration;
import java.util.Objects;

/** What to do with an instance that exited or was killed as unhealthy, and why. */
public record RestartDecision(Action action, long delayNanos, String reason) {

  public enum Action {
    /** Start it again after {@code delayNanos} (BACKOFF while waiting, if the delay is > 0). */
    RESTART,
    /** A crash loop: FAILED until an operator starts it. */
    GIVE_UP,
    /** The policy says not to restart: EXITED. */
    STAY_DOWN
  }

  public RestartDecision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
    if (delayNanos < 0 || (action != Action.RESTART && delayNanos != 0)) {
      throw new IllegalArgumentException("bad delay " + delayNanos + " for " + action);
    }
  }

  public Duration delay() {
    return Duration.ofNanos(delayNanos);
  }
}

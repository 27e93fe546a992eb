package io.vigil.instance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A change in an instance's place in the load balancer's rotation, as recorded in the {@link
 * EventLog}: ejected (IN_ROTATION → EJECTED, {@code until} set), returned (EJECTED →
 * IN_ROTATION), or an ejection that max-ejection-percent refused ({@code from == to ==
 * IN_ROTATION}: Envoy's overflow).
 *
 * <p>{@link #describe()}: {@code web/0 IN_ROTATION -> EJECTED (5 consecutive 5xx responses;
 * ejected for 30s (ejection 1 in a row)) until=2026-11-27T03:00:30Z}.
 *
 * @param until when the ejection ends; null unless {@code to} is EJECTED
 */
public record RotationChange(Instant at, InstanceId instance, Rotation from, Rotation to,
    String reason, Instant until) implements InstanceEvent {

  public RotationChange {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(reason, "reason");
    if (Objects.requireNonNull(from, "from") == Rotation.EJECTED && to == from) {
      throw new IllegalArgumentException(instance + " is ejected already; not again");
    }
    if ((Objects.requireNonNull(to, "to") == Rotation.EJECTED) != (until != null)) {
      throw new IllegalArgumentException("until must be set exactly for an ejection: " + to
          + " until " + until);
    }
  }

  /** True for an ejection that max-ejection-percent refused: the instance stayed in rotation. */
  public boolean refused() {
    return from == to;
  }

  @Override
  public String describe() {
    String line = instance + " " + from + " -> " + to + " (" + reason + ")";
    return until == null ? line : line + " until=" + until.truncatedTo(ChronoUnit.MILLIS);
  }
}

package io.vigil.lb;

import io.vigil.instance.InstanceId;
import io.vigil.instance.Rotation;
import io.vigil.instance.RotationChange;
import java.time.Instant;

/**
 * A change (or a refused change) in an instance's ejection, with the reason to log and report.
 *
 * @param untilNanos for {@link Type#EJECTED}, when the ejection ends (Ticker time); else 0
 */
public record OutlierEvent(InstanceId instance, Type type, String reason, long untilNanos) {
  /** What happened to the instance. */
  public enum Type {
    /** Taken out of rotation until {@code untilNanos}. */
    EJECTED,
    /** Its ejection time is over: back in rotation. */
    RETURNED,
    /** It crossed a threshold but max-ejection-percent kept it in rotation (Envoy's overflow). */
    OVERFLOW
  }

  /**
   * This event for the event log, stamped {@code at} (wall clock); {@code nowNanos} is the same
   * moment on the Ticker {@code untilNanos} was taken from, so the ejection's end can be dated.
   */
  public RotationChange toRotationChange(Instant at, long nowNanos) {
    return switch (type) {
      case EJECTED -> new RotationChange(at, instance, Rotation.IN_ROTATION, Rotation.EJECTED,
          reason, at.plusNanos(Math.max(0, untilNanos - nowNanos)));
      case RETURNED -> new RotationChange(at, instance, Rotation.EJECTED, Rotation.IN_ROTATION,
          reason, null);
      case OVERFLOW -> new RotationChange(at, instance, Rotation.IN_ROTATION,
          Rotation.IN_ROTATION, reason, null);
    };
  }

  @Override
  public String toString() {
    return instance + " " + type + ": " + reason;
  }
}

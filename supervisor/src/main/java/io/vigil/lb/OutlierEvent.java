package io.vigil.lb;

import io.vigil.instance.InstanceId;

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

  @Override
  public String toString() {
    return instance + " " + type + ": " + reason;
  }
}

package io.vigil.restart;

import java.time.Duration;

/** A crash loop: more than {@code restarts} restarts within {@code within} → FAILED. */
public record GiveUpSpec(int restarts, Duration within) {
  public GiveUpSpec {
    if (restarts < 1 || within.isNegative() || within.isZero()) {
      throw new IllegalArgumentException("need restarts >= 1 and within > 0");
    }
  }
}

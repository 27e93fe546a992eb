package io.vigil.limits;

import java.util.OptionalLong;

/**
 * Resource limits: RSS above {@code memoryBytes} in {@code memorySamples} samples in a row
 * restarts the instance. Empty memoryBytes = no limit.
 */
public record LimitsSpec(OptionalLong memoryBytes, int memorySamples) {
  public LimitsSpec {
    if (memorySamples < 1) {
      throw new IllegalArgumentException("memorySamples must be >= 1");
    }
  }

  public static LimitsSpec none() {
    return new LimitsSpec(OptionalLong.empty(), 3);
  }
}

package io.vigil.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.ProcessSample;
import org.junit.jupiter.api.Test;

/** When a reader's sample must be taken again. */
class ResourceSamplerTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long INTERVAL = 5 * SECOND;
  private static final ProcessSample OF_42 = new ProcessSample(42, 1.5, 1 << 20, 3, 7);

  @Test
  void aSampleOfTheCurrentProcessYoungerThanTheIntervalIsCurrent() {
    assertTrue(ResourceSampler.isCurrent(OF_42, 10 * SECOND, 42L, 10 * SECOND, INTERVAL));
    assertTrue(ResourceSampler.isCurrent(OF_42, 10 * SECOND, 42L, 15 * SECOND - 1, INTERVAL));
  }

  @Test
  void aSampleAnIntervalOldIsTakenAgain() {
    assertFalse(ResourceSampler.isCurrent(OF_42, 10 * SECOND, 42L, 15 * SECOND, INTERVAL));
  }

  @Test
  void noSampleOrOneOfAnotherProcessIsNotCurrent() {
    assertFalse(ResourceSampler.isCurrent(null, 10 * SECOND, 42L, 10 * SECOND, INTERVAL));
    assertFalse(ResourceSampler.isCurrent(OF_42, 10 * SECOND, 43L, 10 * SECOND, INTERVAL));
    assertFalse(ResourceSampler.isCurrent(OF_42, 10 * SECOND, null, 10 * SECOND, INTERVAL));
  }
}

package io.vigil.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.LaunchException;
import org.junit.jupiter.api.Test;

class ForkSignalMaskTest {

  @Test
  void sigquitIsDeliverableDuringTheForkAndTheThreadsMaskIsPutBackAfter() {
    // Given: HotSpot blocks SIGQUIT in Java threads (unless run with -Xrs)
    boolean before = ForkSignalMask.sigquitBlockedHere();

    // When
    boolean during = ForkSignalMask.withSigquitUnblocked(ForkSignalMask::sigquitBlockedHere);

    // Then
    assertFalse(during, "SIGQUIT still blocked while forking");
    assertEquals(before, ForkSignalMask.sigquitBlockedHere(), "mask not restored");
  }

  @Test
  void theMaskIsPutBackWhenTheForkFails() {
    boolean before = ForkSignalMask.sigquitBlockedHere();

    try {
      ForkSignalMask.withSigquitUnblocked(() -> {
        throw new LaunchException("no");
      });
    } catch (LaunchException expected) {
      assertTrue(expected.getMessage().contains("no"));
    }

    assertEquals(before, ForkSignalMask.sigquitBlockedHere());
  }
}

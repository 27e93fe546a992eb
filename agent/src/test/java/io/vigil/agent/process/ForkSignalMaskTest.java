package io.vigil.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.LaunchException;
import org.junit.jupiter.api.Test;

class ForkSignalMaskTest {

  @Test
  void sigquitIsDeliverableDuringTheForkAndTheThreadsMaskIsPutBackAfter() {
    // Given: HotSpot blocks SIGQUIT in Java threads (unless run with -Xrs)
    boolean before = ForkSignalMask.sigquitBlockedHere();
    assertTrue(before, "SIGQUIT is not blocked in this JVM's threads (-Xrs?): the test would prove nothing");

    // When
    boolean during = ForkSignalMask.withSigquitUnblocked(ForkSignalMask::sigquitBlockedHere);

    // Then
    assertFalse(during, "SIGQUIT still blocked while forking");
    assertEquals(before, ForkSignalMask.sigquitBlockedHere(), "mask not restored");
  }

  @Test
  void theMaskIsPutBackWhenTheForkFails() {
    boolean before = ForkSignalMask.sigquitBlockedHere();

    LaunchException thrown = assertThrows(LaunchException.class,
        () -> ForkSignalMask.withSigquitUnblocked(() -> {
          throw new LaunchException("no");
        }));

    assertEquals("no", thrown.getMessage());
    assertEquals(before, ForkSignalMask.sigquitBlockedHere());
  }
}

package io.vigil.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.lb.Limits.Kind;
import org.junit.jupiter.api.Test;

class LimitsTest {

  @Test
  void eachKindAdmitsUpToItsMaximumThenRefusesUntilReleased() {
    // Given 2 connections, 1 pending, 3 requests
    Limits limits = new Limits(new LimitsSpec(2, 1, 3));

    // When requests take slots / Then the fourth is refused
    assertTrue(limits.tryAcquire(Kind.REQUESTS));
    assertTrue(limits.tryAcquire(Kind.REQUESTS));
    assertTrue(limits.tryAcquire(Kind.REQUESTS));
    assertFalse(limits.tryAcquire(Kind.REQUESTS));
    assertEquals(3, limits.inUse(Kind.REQUESTS));

    // And the kinds are counted apart
    assertTrue(limits.tryAcquire(Kind.PENDING));
    assertFalse(limits.tryAcquire(Kind.PENDING));
    assertTrue(limits.tryAcquire(Kind.CONNECTIONS));

    // When one request ends / Then one more fits
    limits.release(Kind.REQUESTS);
    assertTrue(limits.tryAcquire(Kind.REQUESTS));
    assertEquals(3, limits.max(Kind.REQUESTS));
  }

  @Test
  void reasonsNameTheSetting() {
    assertEquals("max-connections", Kind.CONNECTIONS.reason());
    assertEquals("max-pending", Kind.PENDING.reason());
    assertEquals("max-requests", Kind.REQUESTS.reason());
  }

  @Test
  void releasingAFreeSlotIsABug() {
    Limits limits = new Limits(new LimitsSpec(1, 1, 1));
    assertThrows(IllegalStateException.class, () -> limits.release(Kind.CONNECTIONS));
  }
}

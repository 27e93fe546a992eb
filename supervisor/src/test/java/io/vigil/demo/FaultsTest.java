package io.vigil.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultsTest {
  private final List<String> log = new ArrayList<>();
  private final Faults faults = new Faults(log::add);

  @Test
  void everyChangeIsOneLogLine() {
    // When
    faults.slow(200);
    faults.errors(0.3);
    faults.ready(false);
    faults.hang();
    faults.slow(0);

    // Then
    assertEquals(
        List.of(
            "fault: slow: responses delayed 200 ms",
            "fault: errors: 0.3 of GET / answer 500",
            "fault: ready off: /readyz answers 503",
            "fault: hang: every request now blocks until the process ends",
            "fault: slow off"),
        log);
    assertEquals(new FaultState(true, 0, 0.3, false), faults.state());
  }

  @Test
  void jsonShowsEveryFaultAndTheLeak() {
    // Given
    faults.errors(1.0);
    faults.leak(1);

    // When / Then
    assertEquals(
        "{\"hung\":false,\"slowMs\":0,\"errorRate\":1.0,\"ready\":true,\"leakedMiB\":1}",
        faults.json());
  }

  @Test
  void resetClearsStateAndReleasesTheLeak() {
    // Given
    faults.ready(false);
    faults.leak(2);

    // When
    faults.reset();

    // Then
    assertEquals(FaultState.NONE, faults.state());
    assertEquals(FaultState.NONE.toJson(0), faults.json());
    assertEquals("fault: reset: all faults cleared", log.get(log.size() - 1));
  }

  @Test
  void retainedMemoryCountsWholeMiB() {
    RetainedMemory memory = new RetainedMemory();

    assertEquals(2, memory.allocate(2));
    assertEquals(3, memory.allocate(1));
    memory.release();
    assertEquals(0, memory.allocatedMiB());
  }

  @Test
  void requestErrorsCarryTheirStatus() {
    assertEquals(404, RequestError.notFound("/x").status());
    RequestError notAllowed = RequestError.methodNotAllowed("PUT", "GET, POST");
    assertEquals(405, notAllowed.status());
    assertEquals("GET, POST", notAllowed.allow());
    assertEquals("PUT not allowed; use GET, POST", notAllowed.getMessage());
    assertThrows(RequestError.class, () -> { throw RequestError.badRequest("x"); });
  }
}

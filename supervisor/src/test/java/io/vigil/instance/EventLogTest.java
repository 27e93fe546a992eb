package io.vigil.instance;

import static io.vigil.instance.InstanceState.EXITED;
import static io.vigil.instance.InstanceState.STARTING;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class EventLogTest {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** Transition number {@code n} of {@code service/0}, at T0 + n seconds; reason "#n". */
  static Transition event(String service, int n) {
    return new Transition(T0.plusSeconds(n), new InstanceId(service, 0), EXITED, STARTING,
        "#" + n, null, null, null);
  }

  static List<String> reasons(List<InstanceEvent> events) {
    return events.stream().map(InstanceEvent::reason).toList();
  }

  @Test
  void keepsOnlyTheNewestCapacityTransitions() {
    // Given
    EventLog log = new EventLog(3);
    // When
    for (int n = 1; n <= 5; n++) {
      log.add(event("web", n));
    }
    // Then
    assertEquals(List.of("#3", "#4", "#5"), reasons(log.recent(10)));
    assertEquals(5, log.total());
    assertEquals(3, log.capacity());
  }

  @Test
  void recentReturnsTheNewestLimitNewestLast() {
    EventLog log = new EventLog(10);
    for (int n = 1; n <= 4; n++) {
      log.add(event("web", n));
    }
    assertEquals(List.of("#3", "#4"), reasons(log.recent(2)));
    assertEquals(List.of(), log.recent(0));
    assertEquals(List.of("#1", "#2", "#3", "#4"), reasons(log.recent(100)));
    assertEquals(List.of(), new EventLog(2).recent(5));
  }

  @Test
  void recentAcrossTheRingsWrapPoint() {
    EventLog log = new EventLog(4);
    for (int n = 1; n <= 6; n++) { // slots now hold 5, 6, 3, 4
      log.add(event("web", n));
    }
    assertEquals(List.of("#3", "#4", "#5", "#6"), reasons(log.recent(4)));
    assertEquals(List.of("#5", "#6"), reasons(log.recent(2)));
  }

  @Test
  void queryFiltersByServiceAndSinceAndLimit() {
    // Given: web at 1, 3, 5, 7; db at 2, 4, 6
    EventLog log = new EventLog(100);
    for (int n = 1; n <= 7; n++) {
      log.add(event(n % 2 == 1 ? "web" : "db", n));
    }
    // Then
    record Case(String service, Instant since, int limit, List<String> expected) {}
    List<Case> cases = List.of(
        new Case(null, null, 100, List.of("#1", "#2", "#3", "#4", "#5", "#6", "#7")),
        new Case("web", null, 100, List.of("#1", "#3", "#5", "#7")),
        new Case("db", null, 2, List.of("#4", "#6")),
        new Case(null, T0.plusSeconds(5), 100, List.of("#5", "#6", "#7")), // since is inclusive
        new Case("web", T0.plusSeconds(4), 100, List.of("#5", "#7")),
        new Case("web", T0.plusSeconds(4), 1, List.of("#7")),
        new Case("cache", null, 100, List.of()),
        new Case(null, T0.plusSeconds(99), 100, List.of()),
        new Case("web", null, 0, List.of()));
    for (Case c : cases) {
      assertEquals(c.expected, reasons(log.query(c.service, c.since, c.limit)), c.toString());
    }
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new EventLog(0));
    EventLog log = new EventLog(1);
    assertThrows(IllegalArgumentException.class, () -> log.recent(-1));
    assertThrows(IllegalArgumentException.class, () -> log.query(null, null, -1));
    assertThrows(NullPointerException.class, () -> log.add(null));
  }

  @Test
  void rotationChangesShareTheLogWithTransitions() {
    // Given a transition of web/0, an ejection of web/1, and one of db/0 the cap refused
    EventLog log = new EventLog(10);
    List<String> seen = new ArrayList<>();
    log.subscribe(e -> seen.add(e.describe()));
    log.add(event("web", 1));
    log.add(new RotationChange(T0.plusSeconds(2), new InstanceId("web", 1),
        Rotation.IN_ROTATION, Rotation.EJECTED, "5 consecutive 5xx responses",
        T0.plusSeconds(32)));
    log.add(new RotationChange(T0.plusSeconds(3), new InstanceId("db", 0),
        Rotation.IN_ROTATION, Rotation.IN_ROTATION, "not ejected: cap", null));

    // Then they are queried and delivered in order, by service and time, like transitions
    assertEquals(List.of("#1", "5 consecutive 5xx responses"),
        reasons(log.query("web", null, 10)));
    assertEquals(List.of("5 consecutive 5xx responses", "not ejected: cap"),
        reasons(log.query(null, T0.plusSeconds(2), 10)));
    assertEquals(List.of("web/0 EXITED -> STARTING (#1)",
        "web/1 IN_ROTATION -> EJECTED (5 consecutive 5xx responses) until=2025-01-01T00:00:32Z",
        "db/0 IN_ROTATION -> IN_ROTATION (not ejected: cap)"), seen);
  }

  @Test
  void anEjectionNeedsItsEndNothingElseHasOneAndNoneRepeats() {
    InstanceId web0 = new InstanceId("web", 0);
    assertThrows(IllegalArgumentException.class, () -> new RotationChange(T0, web0,
        Rotation.IN_ROTATION, Rotation.EJECTED, "x", null));
    assertThrows(IllegalArgumentException.class, () -> new RotationChange(T0, web0,
        Rotation.EJECTED, Rotation.IN_ROTATION, "x", T0));
    assertThrows(IllegalArgumentException.class, () -> new RotationChange(T0, web0,
        Rotation.EJECTED, Rotation.EJECTED, "x", T0));
    assertTrue(new RotationChange(T0, web0, Rotation.IN_ROTATION, Rotation.IN_ROTATION, "x",
        null).refused());
  }

  @Test
  void resultsAreSnapshots() {
    EventLog log = new EventLog(5);
    log.add(event("web", 1));
    List<InstanceEvent> before = log.recent(5);
    log.add(event("web", 2));
    assertEquals(1, before.size());
    assertThrows(UnsupportedOperationException.class, () -> before.add(event("web", 3)));
  }

  @Test
  void listenersSeeEachAddUntilClosed() {
    // Given
    EventLog log = new EventLog(2);
    List<String> seen = new ArrayList<>();
    EventLog.Subscription sub = log.subscribe(t -> seen.add(t.reason()));
    // When
    log.add(event("web", 1));
    log.add(event("web", 2));
    log.add(event("web", 3)); // listeners see everything, even what the ring drops
    sub.close();
    log.add(event("web", 4));
    // Then
    assertEquals(List.of("#1", "#2", "#3"), seen);
    assertDoesNotThrow(sub::close);
  }

  @Test
  void sameConsumerSubscribedTwiceIsDeliveredTwiceAndClosedOneAtATime() {
    EventLog log = new EventLog(2);
    List<String> seen = new ArrayList<>();
    java.util.function.Consumer<InstanceEvent> listener = t -> seen.add(t.reason());
    EventLog.Subscription first = log.subscribe(listener);
    try (EventLog.Subscription second = log.subscribe(listener)) {
      log.add(event("web", 1));
      first.close();
      log.add(event("web", 2));
    }
    log.add(event("web", 3));
    assertEquals(List.of("#1", "#1", "#2"), seen);
  }

  @Test
  void listenerRunsAfterTheAddIsVisible() {
    EventLog log = new EventLog(2);
    List<Long> totals = new ArrayList<>();
    log.subscribe(t -> totals.add(log.total()));
    log.add(event("web", 1));
    assertEquals(List.of(1L), totals);
  }

  @Test
  void aThrowingListenerIsLoggedAndDoesNotAffectOthers() {
    // Given
    EventLog log = new EventLog(5);
    List<String> seenBefore = new ArrayList<>();
    List<String> seenAfter = new ArrayList<>();
    log.subscribe(t -> seenBefore.add(t.reason()));
    log.subscribe(t -> {
      throw new IllegalStateException("listener bug");
    });
    log.subscribe(t -> seenAfter.add(t.reason()));
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Logger jul = Logger.getLogger(EventLog.class.getName());
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    boolean useParent = jul.getUseParentHandlers();
    jul.addHandler(capture);
    jul.setUseParentHandlers(false);
    try {
      // When
      assertDoesNotThrow(() -> log.add(event("web", 1)));
    } finally {
      jul.removeHandler(capture);
      jul.setUseParentHandlers(useParent);
    }
    // Then
    assertEquals(List.of("#1"), seenBefore);
    assertEquals(List.of("#1"), seenAfter);
    assertEquals(List.of("#1"), reasons(log.recent(5)));
    assertEquals(1, logged.size());
    assertEquals(Level.WARNING, logged.get(0).getLevel());
    assertTrue(logged.get(0).getMessage().contains("web/0 EXITED -> STARTING (#1)"),
        logged.get(0).getMessage());
    assertEquals("listener bug", logged.get(0).getThrown().getMessage());
  }

  @Test
  void concurrentAddsAreAllCounted() throws InterruptedException {
    // Given: threads only to prove the lock; no timing is involved
    EventLog log = new EventLog(50);
    int threads = 8;
    int perThread = 1_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      String service = "s" + w;
      Thread worker = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int n = 0; n < perThread; n++) {
          log.add(event(service, n));
        }
      });
      worker.start();
      workers.add(worker);
    }
    // When
    go.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    // Then
    assertEquals((long) threads * perThread, log.total());
    assertEquals(50, log.recent(1_000).size());
  }
}

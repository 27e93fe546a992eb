package io.vigil.instance;

import static io.vigil.instance.InstanceState.BACKOFF;
import static io.vigil.instance.InstanceState.EXITED;
import static io.vigil.instance.InstanceState.FAILED;
import static io.vigil.instance.InstanceState.READY;
import static io.vigil.instance.InstanceState.RUNNING;
import static io.vigil.instance.InstanceState.STARTING;
import static io.vigil.instance.InstanceState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InstanceLifecycleTest {
  static final InstanceId WEB0 = new InstanceId("web", 0);
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void aNewInstanceIsExited() {
    assertEquals(EXITED, new InstanceLifecycle(WEB0).state());
  }

  @Test
  void timelineOfACrashAndRestart() {
    // Given
    InstanceLifecycle life = new InstanceLifecycle(WEB0);
    record Step(InstanceState to, String reason, Long pid, Integer exit, Integer signal) {}
    List<Step> steps = List.of(
        new Step(STARTING, "start requested", 1234L, null, null),
        new Step(RUNNING, "startup probe succeeded", 1234L, null, null),
        new Step(READY, "readiness probe succeeded", 1234L, null, null),
        new Step(EXITED, "exited: exit code 3", 1234L, 3, null),
        new Step(BACKOFF, "restart 2 in 1s", null, null, null),
        new Step(STARTING, "backoff elapsed", 1300L, null, null),
        new Step(STOPPING, "operator stop", 1300L, null, null),
        new Step(EXITED, "stopped: killed by SIGTERM", 1300L, null, 15));

    // When / Then
    InstanceState previous = EXITED;
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      Instant at = T0.plusSeconds(i);
      Transition t = life.moveTo(s.to, s.reason, at, s.pid, s.exit, s.signal);
      assertEquals(new Transition(at, WEB0, previous, s.to, s.reason, s.pid, s.exit, s.signal), t);
      assertEquals(s.to, life.state());
      previous = s.to;
    }
  }

  static Stream<Arguments> forbiddenMoves() {
    List<Arguments> forbidden = new ArrayList<>();
    for (InstanceState from : InstanceState.values()) {
      for (InstanceState to : InstanceState.values()) {
        if (!InstanceStateTest.EXPECTED.get(from).contains(to)) {
          forbidden.add(Arguments.of(from, to));
        }
      }
    }
    return forbidden.stream();
  }

  @ParameterizedTest(name = "{0} -> {1} throws")
  @MethodSource("forbiddenMoves")
  void aForbiddenMoveIsABugAndChangesNothing(InstanceState from, InstanceState to) {
    // Given
    InstanceLifecycle life = lifecycleIn(from);
    // When
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> life.moveTo(to, "because", T0, null, null, null));
    // Then
    assertTrue(e.getMessage().contains(from + " -> " + to), e.getMessage());
    assertTrue(e.getMessage().contains("web/0"), e.getMessage());
    assertEquals(from, life.state());
  }

  @Test
  void adoptMovesExitedToRunning() {
    InstanceLifecycle life = new InstanceLifecycle(WEB0);
    Transition t = life.adopt("re-adopted after vigil restart", T0, 4321);
    assertEquals(new Transition(T0, WEB0, EXITED, RUNNING, "re-adopted after vigil restart",
        4321L, null, null), t);
    assertEquals(RUNNING, life.state());
  }

  @Test
  void adoptIsOnlyForAnExitedInstance() {
    for (InstanceState s : InstanceState.values()) {
      if (s == EXITED) {
        continue;
      }
      InstanceLifecycle life = lifecycleIn(s);
      assertThrows(IllegalStateException.class, () -> life.adopt("again", T0, 1), s.name());
      assertEquals(s, life.state());
    }
  }

  @Test
  void transitionDescribesItselfInOneLine() {
    Transition exited = new Transition(T0, WEB0, RUNNING, EXITED, "exited: exit code 3",
        1234L, 3, null);
    assertEquals("web/0 RUNNING -> EXITED (exited: exit code 3) pid=1234 exit=3",
        exited.describe());
    Transition killed = new Transition(T0, WEB0, STOPPING, EXITED, "stopped", 7L, null, 9);
    assertEquals("web/0 STOPPING -> EXITED (stopped) pid=7 signal=9", killed.describe());
    Transition backoff = new Transition(T0, WEB0, EXITED, BACKOFF, "restart 2 in 1s",
        null, null, null);
    assertEquals("web/0 EXITED -> BACKOFF (restart 2 in 1s)", backoff.describe());
  }

  @Test
  void transitionNeedsItsRequiredFields() {
    assertThrows(NullPointerException.class,
        () -> new Transition(T0, WEB0, EXITED, STARTING, null, null, null, null));
    assertThrows(NullPointerException.class,
        () -> new Transition(null, WEB0, EXITED, STARTING, "r", null, null, null));
  }

  /** A lifecycle driven through legal moves into {@code state}. */
  static InstanceLifecycle lifecycleIn(InstanceState state) {
    InstanceLifecycle life = new InstanceLifecycle(WEB0);
    List<InstanceState> path = switch (state) {
      case EXITED -> List.of();
      case STARTING -> List.of(STARTING);
      case RUNNING -> List.of(STARTING, RUNNING);
      case READY -> List.of(STARTING, READY);
      case STOPPING -> List.of(STARTING, STOPPING);
      case BACKOFF -> List.of(BACKOFF);
      case FAILED -> List.of(FAILED);
    };
    path.forEach(s -> life.moveTo(s, "setup", T0, null, null, null));
    return life;
  }
}

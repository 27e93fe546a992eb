package io.vigil.instance;

import static io.vigil.instance.InstanceState.BACKOFF;
import static io.vigil.instance.InstanceState.EXITED;
import static io.vigil.instance.InstanceState.FAILED;
import static io.vigil.instance.InstanceState.READY;
import static io.vigil.instance.InstanceState.RUNNING;
import static io.vigil.instance.InstanceState.STARTING;
import static io.vigil.instance.InstanceState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The transition table, written out again by hand and checked pair by pair (all 49). */
class InstanceStateTest {

  static final Map<InstanceState, Set<InstanceState>> EXPECTED = Map.of(
      STARTING, EnumSet.of(RUNNING, READY, STOPPING, EXITED),
      RUNNING, EnumSet.of(READY, STOPPING, EXITED),
      READY, EnumSet.of(RUNNING, STOPPING, EXITED),
      STOPPING, EnumSet.of(EXITED),
      EXITED, EnumSet.of(STARTING, BACKOFF, FAILED),
      BACKOFF, EnumSet.of(STARTING, EXITED),
      FAILED, EnumSet.of(STARTING, EXITED));

  static Stream<Arguments> everyPair() {
    List<Arguments> pairs = new ArrayList<>();
    for (InstanceState from : InstanceState.values()) {
      for (InstanceState to : InstanceState.values()) {
        pairs.add(Arguments.of(from, to, EXPECTED.get(from).contains(to)));
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @MethodSource("everyPair")
  void tableAllowsExactlyTheDocumentedMoves(InstanceState from, InstanceState to, boolean allowed) {
    assertEquals(allowed, from.canMoveTo(to));
    assertEquals(allowed, from.next().contains(to));
  }

  @Test
  void liveStatesAreThoseWithAProcess() {
    Set<InstanceState> live = EnumSet.noneOf(InstanceState.class);
    for (InstanceState s : InstanceState.values()) {
      if (s.isLive()) {
        live.add(s);
      }
    }
    assertEquals(EnumSet.of(STARTING, RUNNING, READY, STOPPING), live);
  }

  @Test
  void noStateMovesToItself() {
    for (InstanceState s : InstanceState.values()) {
      assertEquals(false, s.canMoveTo(s), s.name());
    }
  }
}

package io.vigil.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.instance.InstanceId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BalancerTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long NOW = 5_000 * SECOND;

  private static Candidate c(int index, int outstanding) {
    return new Candidate(new InstanceId("web", index), outstanding, 0);
  }

  private static Candidate warming(int index, int outstanding, long readySince) {
    return new Candidate(new InstanceId("web", index), outstanding, readySince);
  }

  @Test
  void leastRequestPicksTheLessLoadedOfTwoDistinctRandomChoices() {
    record Row(int first, int second, int expected) {}
    // Given instances with 3, 0, 5 requests in flight
    List<Candidate> eligible = List.of(c(0, 3), c(1, 0), c(2, 5));
    // nextInt(3) gives the first; nextInt(2) the second, skipping the first
    for (Row row : List.of(new Row(0, 0, 1), new Row(0, 1, 0), new Row(2, 0, 0),
        new Row(2, 1, 1), new Row(1, 1, 1))) {
      Balancer balancer = Balancer.of(Balance.LEAST_REQUEST, Duration.ZERO,
          new ScriptedRandom().withInts(row.first(), row.second()));
      // Then the less loaded of the two wins
      assertEquals(row.expected(), balancer.pick(eligible, NOW).orElseThrow().id().index(),
          row.toString());
    }
  }

  @Test
  void aTieGoesToTheFirstChoice() {
    Balancer balancer = Balancer.of(Balance.LEAST_REQUEST, Duration.ZERO,
        new ScriptedRandom().withInts(1, 0));
    assertEquals(1, balancer.pick(List.of(c(0, 2), c(1, 2)), NOW).orElseThrow().id().index());
  }

  @Test
  void oneOrNoCandidateNeedsNoRandomness() {
    Balancer balancer = Balancer.of(Balance.LEAST_REQUEST, Duration.ZERO, new ScriptedRandom());
    assertEquals(Optional.empty(), balancer.pick(List.of(), NOW));
    assertEquals(c(7, 9), balancer.pick(List.of(c(7, 9)), NOW).orElseThrow());
  }

  @Test
  void slowStartScalesOutstandingByTheWeight() {
    // Given a 100 s window: web/1 entered rotation 10 s ago (weight 0.1 + 0.9 x 0.1 = 0.19)
    Candidate settled = c(0, 4);                                 // load (4 + 1) / 1 = 5
    Candidate young = warming(1, 0, NOW - 10 * SECOND);          // load 1 / 0.19 = 5.3
    Balancer balancer = Balancer.of(Balance.LEAST_REQUEST, Duration.ofSeconds(100),
        new ScriptedRandom().withInts(1, 0, 1, 0));

    // When both are compared / Then the settled one wins, though it has more in flight
    assertEquals(0, balancer.pick(List.of(settled, young), NOW).orElseThrow().id().index());

    // When web/0 has one more in flight / Then the young one wins: (5 + 1) / 1 = 6 > 5.3
    assertEquals(1, balancer.pick(List.of(c(0, 5), young), NOW).orElseThrow().id().index());
  }

  @Test
  void slowStartWeightRampsFromTenPercentToFull() {
    Balancer balancer = Balancer.of(Balance.LEAST_REQUEST, Duration.ofSeconds(100),
        new ScriptedRandom());
    record Row(long age, double weight) {}
    for (Row row : List.of(new Row(0, 0.1), new Row(50, 0.55), new Row(99, 0.991),
        new Row(100, 1.0), new Row(1000, 1.0))) {
      assertEquals(row.weight(), balancer.weight(warming(0, 0, NOW - row.age() * SECOND), NOW),
          1e-9, row.toString());
    }
    // No window: always full weight
    Balancer off = Balancer.of(Balance.LEAST_REQUEST, Duration.ZERO, new ScriptedRandom());
    assertEquals(1.0, off.weight(warming(0, 0, NOW), NOW));
  }

  @Test
  void leastRequestSpreadsEvenLoadEvenly() {
    // Given three idle instances and a seeded generator
    Balancer balancer = Balancer.of(Balance.LEAST_REQUEST, Duration.ZERO, new SplittableRandom(7));
    int[] counts = new int[3];
    List<Candidate> eligible = List.of(c(0, 0), c(1, 0), c(2, 0));

    // When 3000 picks are made / Then each gets about a third
    for (int i = 0; i < 3000; i++) {
      counts[balancer.pick(eligible, NOW).orElseThrow().id().index()]++;
    }
    for (int count : counts) {
      assertEquals(1000, count, 100);
    }
  }

  @Test
  void roundRobinTakesEachInTurnAndSurvivesAChangingList() {
    Balancer balancer = Balancer.of(Balance.ROUND_ROBIN, Duration.ZERO, new ScriptedRandom());
    List<Candidate> three = List.of(c(0, 9), c(1, 0), c(2, 0));
    List<Integer> picked = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picked.add(balancer.pick(three, NOW).orElseThrow().id().index());
    }
    // Then 0, 1, 2, 0 regardless of load
    assertEquals(List.of(0, 1, 2, 0), picked);
    // And a shorter list still gets a valid pick: the position (4) modulo its size
    assertEquals(0, balancer.pick(List.of(c(0, 0), c(1, 0)), NOW).orElseThrow().id().index());
    assertEquals(1, balancer.pick(List.of(c(0, 0), c(1, 0)), NOW).orElseThrow().id().index());
    assertEquals(Optional.empty(), balancer.pick(List.of(), NOW));
  }

  @Test
  void roundRobinSkipsAWarmingInstanceWithProbabilityOneMinusItsWeight() {
    // Given web/1 just entered rotation (weight 0.1) in a 100 s window
    Balancer balancer = Balancer.of(Balance.ROUND_ROBIN, Duration.ofSeconds(100),
        new ScriptedRandom().withDoubles(0.5, 0.05));
    List<Candidate> eligible = List.of(c(0, 0), warming(1, 0, NOW));

    // When its turn comes with a draw of 0.5 / Then it is skipped for web/0
    assertEquals(0, balancer.pick(eligible, NOW).orElseThrow().id().index()); // turn of 0
    assertEquals(0, balancer.pick(eligible, NOW).orElseThrow().id().index()); // 1 skipped
    // When its turn comes with a draw of 0.05 < 0.1 / Then it is taken
    assertEquals(1, balancer.pick(eligible, NOW).orElseThrow().id().index());
  }
}

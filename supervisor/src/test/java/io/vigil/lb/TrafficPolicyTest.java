package io.vigil.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.instance.InstanceId;
import io.vigil.time.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrafficPolicyTest {
  private static final InstanceId A = new InstanceId("web", 0);
  private static final InstanceId B = new InstanceId("web", 1);
  private static final long SECOND = 1_000_000_000L;

  private final FakeTicker ticker = new FakeTicker(77 * SECOND);

  private TrafficPolicy policy(LbSpec spec) {
    return new TrafficPolicy(spec, new SplittableRandom(3));
  }

  private TrafficPolicy roundRobin() {
    return policy(Specs.lb(Balance.ROUND_ROBIN, Duration.ZERO, new LimitsSpec(10, 10, 10),
        Specs.retries(2, RetryOn.GATEWAY_ERROR), Specs.outlier(2, 0, 2, 50, true)));
  }

  @Test
  void picksOnlyReadyInstancesNotTriedYet() {
    // Given A and B ready
    TrafficPolicy policy = roundRobin();
    policy.endpoints(List.of(A, B), ticker.nanos());

    // When a request has tried A / Then B is picked; when both, none
    assertEquals(Optional.of(B), policy.pick(Set.of(A), ticker.nanos()).instance());
    TrafficPolicy.Pick none = policy.pick(Set.of(A, B), ticker.nanos());
    assertEquals(Optional.empty(), none.instance());
    assertEquals("every ready instance was tried", none.reason());
  }

  @Test
  void noReadyInstanceIsSaid() {
    TrafficPolicy policy = roundRobin();
    assertEquals("no ready instance", policy.pick(Set.of(), ticker.nanos()).reason());
  }

  @Test
  void anEjectedInstanceGetsNoRequestsUntilItReturns() {
    // Given A ejected after two 500s
    TrafficPolicy policy = roundRobin();
    policy.endpoints(List.of(A, B), ticker.nanos());
    policy.record(A, Outcome.response(500), ticker.nanos());
    List<OutlierEvent> events = policy.record(A, Outcome.response(500), ticker.nanos());
    assertEquals(OutlierEvent.Type.EJECTED, events.get(0).type());

    // When four requests come / Then all go to B
    for (int i = 0; i < 4; i++) {
      InstanceId picked = policy.pick(Set.of(), ticker.nanos()).instance().orElseThrow();
      assertEquals(B, picked);
      policy.finished(picked, false);
    }
    // When B is tried too / Then the reason says A is ejected
    assertEquals("every ready instance was tried (1 ejected)",
        policy.pick(Set.of(B), ticker.nanos()).reason());

    // When 30 s pass / Then the next pick reports A's return and A is eligible again
    ticker.advance(Duration.ofSeconds(30));
    assertEquals(OptionalLong.of(ticker.nanos()), policy.nextReturn());
    TrafficPolicy.Pick pick = policy.pick(Set.of(B), ticker.nanos());
    assertEquals(Optional.of(A), pick.instance());
    assertEquals(OutlierEvent.Type.RETURNED, pick.events().get(0).type());
  }

  @Test
  void theStateSaysWhyEachInstanceDoesOrDoesNotGetRequests() {
    // Given A ready for 5 s of a 10 s slow start, B ready before it, and a request to A
    TrafficPolicy policy = policy(Specs.lb(Balance.ROUND_ROBIN, Duration.ofSeconds(10),
        new LimitsSpec(10, 10, 10), Specs.retries(2), Specs.outlier(2, 0, 0, 50, true)));
    policy.endpoints(List.of(B), ticker.nanos());
    ticker.advance(Duration.ofSeconds(10));
    policy.endpoints(List.of(A, B), ticker.nanos());
    policy.pick(Set.of(B), ticker.nanos());
    ticker.advance(Duration.ofSeconds(5));

    // When B is ejected (2 x 500) / Then A ramps at weight 0.55, B is out for 30 s
    policy.record(B, Outcome.response(500), ticker.nanos());
    policy.record(B, Outcome.response(500), ticker.nanos());
    ticker.advance(Duration.ofSeconds(1));
    List<EndpointState> state = policy.state(ticker.nanos());
    assertEquals(EndpointState.Status.SLOW_START, state.get(0).status());
    assertEquals(0.1 + 0.9 * 6 / 10, state.get(0).weight(), 1e-9);
    assertEquals(EndpointState.Status.EJECTED, state.get(1).status());
    assertEquals(OptionalLong.of(29 * SECOND), state.get(1).ejectedForNanos());
    assertEquals(1, state.get(1).timesEjected());

    // When A leaves rotation with its request in flight, 4 s on / Then it drains
    ticker.advance(Duration.ofSeconds(4));
    policy.endpoints(List.of(B), ticker.nanos());
    state = policy.state(ticker.nanos());
    assertEquals(EndpointState.Status.DRAINING, state.get(0).status());
    assertEquals(0.0, state.get(0).weight());
    assertEquals(1, state.get(0).inFlight());
    assertEquals(EndpointState.Status.EJECTED, state.get(1).status());

    // When B's ejection is over / Then it is in rotation at full weight
    ticker.advance(Duration.ofSeconds(25));
    assertEquals(EndpointState.Status.IN_ROTATION, policy.state(ticker.nanos()).get(1).status());
  }

  @Test
  void allEjectedIsSaid() {
    TrafficPolicy policy = policy(Specs.lb(Balance.ROUND_ROBIN, Duration.ZERO,
        new LimitsSpec(10, 10, 10), Specs.retries(2), Specs.outlier(1, 0, 0, 100, true)));
    policy.endpoints(List.of(A, B), ticker.nanos());
    policy.record(A, Outcome.response(500), ticker.nanos());
    policy.record(B, Outcome.response(500), ticker.nanos());
    assertEquals("all 2 ready instances are ejected", policy.pick(Set.of(), ticker.nanos()).reason());
  }

  @Test
  void inFlightIsCountedPerInstanceAndOutlivesRemovalForDraining() {
    // Given two requests in flight to A
    TrafficPolicy policy = roundRobin();
    policy.endpoints(List.of(A), ticker.nanos());
    policy.pick(Set.of(), ticker.nanos());
    policy.pick(Set.of(), ticker.nanos());
    assertEquals(2, policy.inFlight(A));

    // When A leaves rotation / Then it gets no new request, but its two are still counted
    policy.endpoints(List.of(B), ticker.nanos());
    assertEquals(Optional.of(B), policy.pick(Set.of(), ticker.nanos()).instance());
    assertEquals(List.of(
        new EndpointState(A, false, OptionalLong.empty(), 0, 0, 2, 0, 0, 0),
        new EndpointState(B, true, OptionalLong.empty(), 1, 0, 1, 0, 0, 0)),
        policy.state(ticker.nanos()));

    // When they finish / Then the count reaches 0 and A disappears from the view
    assertEquals(1, policy.finished(A, false));
    assertEquals(0, policy.finished(A, false));
    assertEquals(List.of(B), policy.state(ticker.nanos()).stream()
        .map(EndpointState::instance).toList());
  }

  @Test
  void aRetryHoldsItsBudgetSlotUntilItsTryEndsOrIsAbandoned() {
    // Given a budget of max(1, 0 %) = 1 and one request in flight
    TrafficPolicy policy = policy(Specs.lb(Balance.ROUND_ROBIN, Duration.ZERO,
        new LimitsSpec(10, 10, 10), new RetrySpec(2, Optional.empty(), Duration.ofMillis(25),
            Duration.ofMillis(250), 0, 1, Set.of(RetryOn.GATEWAY_ERROR)),
        Specs.outlier()));
    policy.endpoints(List.of(A, B), ticker.nanos());
    long deadline = ticker.nanos() + 15 * SECOND;
    assertTrue(policy.tryAcquire(Limits.Kind.REQUESTS));

    // When one retry is granted / Then a second is refused while it runs
    assertTrue(policy.retry(Outcome.response(503), "GET", true, 0, ticker.nanos(), deadline)
        .retry());
    assertFalse(policy.retry(Outcome.response(503), "GET", true, 0, ticker.nanos(), deadline)
        .retry());

    // When the retried try finishes / Then the slot is free again
    InstanceId tried = policy.pick(Set.of(), ticker.nanos()).instance().orElseThrow();
    policy.finished(tried, true);
    assertTrue(policy.retry(Outcome.response(503), "GET", true, 0, ticker.nanos(), deadline)
        .retry());
    // And an abandoned retry frees it too
    policy.retryAbandoned();
    assertTrue(policy.retry(Outcome.response(503), "GET", true, 0, ticker.nanos(), deadline)
        .retry());
  }

  @Test
  void limitsAreCountedPerKind() {
    TrafficPolicy policy = policy(Specs.lb(Balance.LEAST_REQUEST, Duration.ZERO,
        new LimitsSpec(1, 1, 1), Specs.retries(0), Specs.outlier()));
    assertTrue(policy.tryAcquire(Limits.Kind.REQUESTS));
    assertFalse(policy.tryAcquire(Limits.Kind.REQUESTS));
    assertEquals(1, policy.inUse(Limits.Kind.REQUESTS));
    policy.release(Limits.Kind.REQUESTS);
    assertTrue(policy.tryAcquire(Limits.Kind.REQUESTS));
  }

  @Test
  void slowStartBeginsWhenAnInstanceEntersRotation() {
    // Given A in rotation for long, B just added, a 100 s slow start
    TrafficPolicy policy = policy(Specs.lb(Balance.LEAST_REQUEST, Duration.ofSeconds(100),
        new LimitsSpec(100, 100, 100), Specs.retries(0), Specs.outlier()));
    policy.endpoints(List.of(A), ticker.nanos());
    ticker.advance(Duration.ofSeconds(500));
    policy.endpoints(List.of(A, B), ticker.nanos());

    // When 100 requests are picked and kept in flight
    for (int i = 0; i < 100; i++) {
      policy.pick(Set.of(), ticker.nanos());
    }
    // Then B (weight 0.1) gets far fewer than A
    assertTrue(policy.inFlight(B) < 20, "B got " + policy.inFlight(B));
  }
}

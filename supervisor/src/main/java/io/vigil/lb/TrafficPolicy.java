package io.vigil.lb;

import io.vigil.instance.InstanceId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * One service's traffic policy in one place: the ready instances, requests in flight to each,
 * and the {@link Limits}, {@link Balancer}, {@link OutlierDetector}, {@link RetryPolicy} and
 * {@link RetryBudget} that decide over them.
 *
 * <p>Thread-safety: every method is synchronized, so connections of one service may run on
 * several event loops. Each call is short (no I/O, no callbacks); events are returned, and the
 * caller fires its listeners after the call, outside the lock.
 */
public final class TrafficPolicy {
  /** The instance for a try, or why there is none; events are ejections that ended meanwhile. */
  public record Pick(Optional<InstanceId> instance, String reason, List<OutlierEvent> events) {}

  static final String NO_INSTANCE = "no ready instance";
  static final String ALL_TRIED = "every ready instance was tried";

  private final Limits limits;
  private final RetryBudget budget;
  private final RetryPolicy retries;
  private final OutlierDetector detector;
  private final Balancer balancer;
  /** Ready instances (in rotation) and when each entered it. */
  private final Map<InstanceId, Long> readySince = new TreeMap<>();
  /** Requests in flight, including to instances that left rotation and are draining. */
  private final Map<InstanceId, Integer> inFlight = new HashMap<>();

  public TrafficPolicy(LbSpec spec, RandomGenerator random) {
    this.limits = new Limits(spec.limits());
    RetrySpec r = spec.retries();
    this.budget = new RetryBudget(r.budgetPercent(), r.minRetryConcurrency());
    this.retries = new RetryPolicy(r, budget, new Backoff(r.backoffBase(), r.backoffMax(), random));
    this.detector = new OutlierDetector(spec.outlier());
    this.balancer = Balancer.of(spec.balance(), spec.slowStart(), random);
  }

  /**
   * The instances that may get new requests from now on. An instance new to the list starts its
   * slow start at {@code now}; one that left gets no new request and is forgotten by the outlier
   * detector, but its requests in flight are still counted until they finish.
   */
  public synchronized void endpoints(Collection<InstanceId> ready, long now) {
    readySince.keySet().retainAll(Set.copyOf(ready));
    ready.forEach(id -> readySince.putIfAbsent(id, now));
    detector.hosts(readySince.keySet());
  }

  public synchronized boolean tryAcquire(Limits.Kind kind) {
    return limits.tryAcquire(kind);
  }

  public synchronized void release(Limits.Kind kind) {
    limits.release(kind);
  }

  /**
   * Chooses an instance for a try among those in rotation, not ejected and not in {@code tried},
   * and counts the try in flight to it: call {@link #finished} when it ends.
   */
  public synchronized Pick pick(Set<InstanceId> tried, long now) {
    List<OutlierEvent> events = detector.returnDue(now);
    List<Candidate> eligible = new ArrayList<>();
    int ejected = 0;
    for (Map.Entry<InstanceId, Long> e : readySince.entrySet()) {
      if (detector.isEjected(e.getKey(), now)) {
        ejected++;
      } else if (!tried.contains(e.getKey())) {
        eligible.add(new Candidate(e.getKey(), inFlight(e.getKey()), e.getValue()));
      }
    }
    Optional<InstanceId> chosen = balancer.pick(eligible, now).map(Candidate::id);
    chosen.ifPresent(id -> inFlight.merge(id, 1, Integer::sum));
    return new Pick(chosen, chosen.isPresent() ? "" : why(ejected), events);
  }

  private String why(int ejected) {
    if (readySince.isEmpty()) {
      return NO_INSTANCE;
    }
    if (ejected == readySince.size()) {
      return "all " + ejected + " ready instances are ejected";
    }
    return ALL_TRIED + (ejected > 0 ? " (" + ejected + " ejected)" : "");
  }

  /**
   * A try picked by {@link #pick} ended. {@code retry}: it was a retry, so its budget slot is
   * freed. Returns the requests still in flight to the instance (0: a drain may complete).
   */
  public synchronized int finished(InstanceId id, boolean retry) {
    if (retry) {
      budget.release();
    }
    Integer left = inFlight.computeIfPresent(id, (k, n) -> n > 1 ? n - 1 : null);
    return left == null ? 0 : left;
  }

  /** Counts a try's outcome towards ejection; returns what changed. */
  public synchronized List<OutlierEvent> record(InstanceId id, Outcome outcome, long now) {
    return detector.record(id, outcome, now);
  }

  /** See {@link RetryPolicy#decide}; a retry holds a budget slot until {@link #finished}. */
  public synchronized RetryDecision retry(Outcome outcome, String method, boolean replayable,
      int retriesSoFar, long now, long deadline) {
    return retries.decide(outcome, method, replayable, retriesSoFar,
        limits.inUse(Limits.Kind.REQUESTS), now, deadline);
  }

  /** A retry that was granted but never picked an instance (none left, or the client left). */
  public synchronized void retryAbandoned() {
    budget.release();
  }

  /** Ends the ejections whose time is up; call it at {@link #nextReturn()}. */
  public synchronized List<OutlierEvent> returnDue(long now) {
    return detector.returnDue(now);
  }

  public synchronized OptionalLong nextReturn() {
    return detector.nextReturn();
  }

  public synchronized int inFlight(InstanceId id) {
    return inFlight.getOrDefault(id, 0);
  }

  public synchronized int inUse(Limits.Kind kind) {
    return limits.inUse(kind);
  }

  /** Every instance in rotation or with requests in flight, by id. */
  public synchronized List<EndpointState> state(long now) {
    Set<InstanceId> ids = new TreeSet<>(readySince.keySet());
    ids.addAll(inFlight.keySet());
    return ids.stream().map(id -> {
      OutlierState o = detector.state(id, now);
      Long since = readySince.get(id);
      double weight = since == null ? 0 : balancer.weight(new Candidate(id, 0, since), now);
      return new EndpointState(id, since != null,
          o.ejected() ? OptionalLong.of(o.ejectedUntilNanos() - now) : OptionalLong.empty(),
          weight, o.timesEjected(), inFlight(id), o.consecutive5xx(),
          o.consecutiveGatewayErrors(), o.consecutiveLocalFailures());
    }).toList();
  }
}

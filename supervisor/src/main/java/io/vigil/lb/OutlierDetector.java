package io.vigil.lb;

import io.vigil.instance.InstanceId;
import io.vigil.time.HumanDuration;
import io.vigil.time.Nanos;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Passive health: ejects an instance whose answers keep failing, with Envoy's consecutive-error
 * rules ({@code outlier_detection_impl.cc}), in split mode (local-origin failures counted apart).
 *
 * <ul>
 *   <li>A 5xx adds one to the 5xx count, and to the gateway count if it is 502, 503 or 504 (any
 *       other 5xx clears the gateway count); any other status clears both. A connect failure,
 *       reset or timeout adds one to the local count; any response clears it.
 *   <li>A count reaching its threshold ejects the instance for base-ejection-time x (ejections in
 *       a row), at most max-ejection-time; the counts are cleared.
 *   <li>The cap: an ejection needs {@code 100 x (ejected + 1) / instances <= max-ejection-percent},
 *       or, with always-eject-one, nothing ejected yet. A refused ejection is reported once, as
 *       {@link OutlierEvent.Type#OVERFLOW}, when the count reaches the threshold. Unlike Envoy,
 *       which only acts when a count equals its threshold, every further failure tries again,
 *       so an instance that keeps failing is ejected as soon as another returns.
 *   <li>An ejection ends when its time is up, checked against the {@code now} each call is given
 *       (Envoy waits for its next sweep); the counts are cleared.
 *   <li>Decay: for each full interval an instance stays in rotation after returning, its ejection
 *       count drops by one (Envoy decrements it on each sweep), so a healthy instance is soon back
 *       to the base time.
 * </ul>
 *
 * <p>Outcomes of an ejected instance (requests that were in flight) are ignored. Not
 * thread-safe: {@link TrafficPolicy} guards it.
 */
public final class OutlierDetector {
  private final OutlierSpec spec;
  private final long baseNanos;
  private final long maxNanos;
  private final long intervalNanos;
  private final int maxTimes;
  private final Map<InstanceId, Host> hosts = new TreeMap<>();
  /** How many hosts are ejected: with none, a request's outcome needs no walk over them all. */
  private int ejectedCount;

  private static final class Host {
    int consecutive5xx;
    int consecutiveGateway;
    int consecutiveLocal;
    int timesEjected;
    boolean ejected;
    long ejectedUntil;
    long returnedAt;
  }

  public OutlierDetector(OutlierSpec spec) {
    this.spec = spec;
    this.baseNanos = Nanos.of(spec.baseEjectionTime());
    this.maxNanos = Nanos.of(spec.maxEjectionTime());
    this.intervalNanos = Nanos.of(spec.interval());
    // Past this many ejections in a row, base x times is over the cap anyway (Envoy stops
    // counting up there too), so decay brings it down in a bounded time.
    this.maxTimes = (int) Math.min(Integer.MAX_VALUE, (maxNanos + baseNanos - 1) / baseNanos);
  }

  /**
   * The instances the cap counts and the detector tracks. New ones start clean; one that left is
   * forgotten, ejection and all: when it comes back, its readiness probe has vouched for it.
   */
  public void hosts(Collection<InstanceId> instances) {
    hosts.keySet().retainAll(instances);
    instances.forEach(id -> hosts.computeIfAbsent(id, unused -> new Host()));
    ejectedCount = (int) hosts.values().stream().filter(h -> h.ejected).count();
  }

  /** Counts one try's outcome; returns what it (and the passing of time) changed. */
  public List<OutlierEvent> record(InstanceId id, Outcome outcome, long now) {
    List<OutlierEvent> events = returnDue(now);
    Host host = hosts.get(id);
    if (host == null || host.ejected) {
      return events;
    }
    count(host, outcome);
    detect(id, host, now).ifPresent(events::add);
    return events;
  }

  /** Ends the ejections whose time is up at {@code now}. */
  public List<OutlierEvent> returnDue(long now) {
    List<OutlierEvent> events = new ArrayList<>();
    if (ejectedCount == 0) {
      return events;
    }
    hosts.forEach((id, host) -> {
      if (host.ejected && now - host.ejectedUntil >= 0) {
        host.ejected = false;
        ejectedCount--;
        host.returnedAt = now;
        clearCounts(host);
        events.add(new OutlierEvent(id, OutlierEvent.Type.RETURNED, "ejection time is over", 0));
      }
    });
    return events;
  }

  /** True while {@code id}'s ejection lasts; an ejection whose time is up no longer counts. */
  public boolean isEjected(InstanceId id, long now) {
    Host host = hosts.get(id);
    return host != null && host.ejected && now - host.ejectedUntil < 0;
  }

  /** When the next ejection ends, so the caller can arrange to call {@link #returnDue} then. */
  public OptionalLong nextReturn() {
    return hosts.values().stream().filter(h -> h.ejected).mapToLong(h -> h.ejectedUntil).min();
  }

  public OutlierState state(InstanceId id, long now) {
    Host h = hosts.get(id);
    if (h == null) {
      return OutlierState.UNKNOWN;
    }
    boolean ejected = isEjected(id, now);
    return new OutlierState(ejected, ejected ? h.ejectedUntil : 0, decayed(h, now),
        h.consecutive5xx, h.consecutiveGateway, h.consecutiveLocal);
  }

  private static void count(Host host, Outcome outcome) {
    if (outcome.localFailure()) {
      host.consecutiveLocal++;
      return;
    }
    host.consecutiveLocal = 0;
    if (outcome.serverError()) {
      host.consecutive5xx++;
      host.consecutiveGateway = outcome.gatewayError() ? host.consecutiveGateway + 1 : 0;
    } else {
      host.consecutive5xx = 0;
      host.consecutiveGateway = 0;
    }
  }

  private Optional<OutlierEvent> detect(InstanceId id, Host host, long now) {
    Optional<Trigger> trigger = trigger(host);
    if (trigger.isEmpty()) {
      return Optional.empty();
    }
    int ejected = ejectedCount;
    if (!roomForOneMore(ejected)) {
      return trigger.get().justReached()
          ? Optional.of(new OutlierEvent(id, OutlierEvent.Type.OVERFLOW, trigger.get().what()
              + ", but not ejected: " + ejected + " of " + hosts.size()
              + " instances already ejected (max-ejection-percent " + spec.maxEjectionPercent()
              + ")", 0))
          : Optional.empty();
    }
    return Optional.of(eject(id, host, trigger.get().what(), now));
  }

  /** Envoy's gate: 100 x (ejected + 1) / hosts <= max %, or always-eject-one with none out. */
  private boolean roomForOneMore(int ejected) {
    return 100L * (ejected + 1) <= (long) spec.maxEjectionPercent() * hosts.size()
        || (spec.alwaysEjectOne() && ejected == 0);
  }

  private OutlierEvent eject(InstanceId id, Host host, String what, long now) {
    host.timesEjected = Math.min(decayed(host, now) + 1, maxTimes);
    long duration = Math.min(maxNanos, baseNanos * host.timesEjected);
    host.ejected = true;
    ejectedCount++;
    host.ejectedUntil = Nanos.plus(now, duration);
    clearCounts(host);
    return new OutlierEvent(id, OutlierEvent.Type.EJECTED, what + "; ejected for "
        + HumanDuration.format(duration) + " (ejection " + host.timesEjected + " in a row)",
        host.ejectedUntil);
  }

  /** The ejection count after one step of decay per full interval in rotation. */
  private int decayed(Host host, long now) {
    if (host.ejected || host.timesEjected == 0) {
      return host.timesEjected;
    }
    long steps = (now - host.returnedAt) / intervalNanos;
    return (int) Math.max(0, host.timesEjected - steps);
  }

  /** The count that crossed its threshold, if any: gateway errors first, the most specific. */
  private Optional<Trigger> trigger(Host host) {
    if (reached(host.consecutiveGateway, spec.consecutiveGatewayErrors())) {
      return Optional.of(new Trigger(host.consecutiveGateway + " consecutive gateway errors "
          + "(502, 503, 504)", host.consecutiveGateway == spec.consecutiveGatewayErrors()));
    }
    if (reached(host.consecutive5xx, spec.consecutive5xx())) {
      return Optional.of(new Trigger(host.consecutive5xx + " consecutive 5xx responses",
          host.consecutive5xx == spec.consecutive5xx()));
    }
    if (reached(host.consecutiveLocal, spec.consecutiveLocalFailures())) {
      return Optional.of(new Trigger(host.consecutiveLocal + " consecutive local failures "
          + "(connect failure, reset, timeout)",
          host.consecutiveLocal == spec.consecutiveLocalFailures()));
    }
    return Optional.empty();
  }

  private static boolean reached(int count, int threshold) {
    return threshold > 0 && count >= threshold;
  }

  private static void clearCounts(Host host) {
    host.consecutive5xx = 0;
    host.consecutiveGateway = 0;
    host.consecutiveLocal = 0;
  }

  private record Trigger(String what, boolean justReached) {}
}

package io.vigil.probe;

import io.vigil.time.Nanos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * When the control loop next wakes up to launch probes, and for which keys (instances): one
 * wake-up per tick of a fixed grid instead of one timer per instance. A probe due at {@code t}
 * is launched at the first tick at or after {@code t}, so at most one tick late (if the loop
 * wakes on time). The launch counts as made at the tick ({@link Due#tick}), so the next period
 * counts from the grid too: probes with the same period that once shared a tick keep sharing
 * it, and 500 instances probed every second wake the loop a few times a second rather than 500.
 *
 * <pre>{@code
 * agenda.plan(instance, probes.nextDueNanos());        // after each launch and each result
 * wakeUpAt(agenda.nextTickNanos());
 * ProbeAgenda.Due<Instance> due = agenda.takeDue(now);  // on the wake-up
 * for (Instance i : due.keys()) launch(i.probes.due(due.tick()));
 * }</pre>
 *
 * <p>Not thread-safe: owned by the control thread. Keys are compared by {@code equals}.
 */
public final class ProbeAgenda<K> {
  /**
   * Coarse enough that probes launched a few milliseconds apart go out together, fine enough
   * to be nothing beside a probe's period (the kubelet's is at least 1 s) or timeout.
   */
  public static final Duration TICK = Duration.ofMillis(10);

  private final long tickNanos;
  private final TreeMap<Long, Set<K>> byTick = new TreeMap<>();
  private final Map<K, Long> tickOf = new HashMap<>();

  public ProbeAgenda(Duration tick) {
    if (tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("tick must be > 0, was " + tick);
    }
    this.tickNanos = Nanos.of(tick);
  }

  /**
   * Plans {@code key}'s next probes for the first tick at or after {@code dueNanos}, replacing
   * its previous plan; {@code Long.MAX_VALUE} (nothing due) just removes it.
   */
  public void plan(K key, long dueNanos) {
    cancel(key);
    if (dueNanos == Long.MAX_VALUE) {
      return;
    }
    long tick = tickAtOrAfter(dueNanos);
    byTick.computeIfAbsent(tick, t -> new LinkedHashSet<>()).add(key);
    tickOf.put(key, tick);
  }

  /** Removes {@code key}'s plan, if any. */
  public void cancel(K key) {
    Long tick = tickOf.remove(Objects.requireNonNull(key, "key"));
    if (tick == null) {
      return;
    }
    Set<K> keys = byTick.get(tick);
    keys.remove(key);
    if (keys.isEmpty()) {
      byTick.remove(tick);
    }
  }

  /** The earliest planned tick, or Long.MAX_VALUE when nothing is planned. */
  public long nextTickNanos() {
    return byTick.isEmpty() ? Long.MAX_VALUE : byTick.firstKey();
  }

  /**
   * What a wake-up at some moment launches.
   *
   * @param tick the last tick at or before that moment: the time the launches count as made at.
   *     Counted from the moment the loop actually ran, a fraction of a millisecond later, each
   *     period would round up to the next tick, and a probe every second would run every 1.01 s
   * @param keys the keys planned for a tick at or before that moment, earliest first
   */
  public record Due<K>(long tick, List<K> keys) {}

  /** The keys due at {@code now}, which leave the agenda, and the tick they launch for. */
  public Due<K> takeDue(long now) {
    List<K> due = new ArrayList<>();
    while (!byTick.isEmpty() && byTick.firstKey() <= now) {
      for (K key : byTick.pollFirstEntry().getValue()) {
        tickOf.remove(key);
        due.add(key);
      }
    }
    return new Due<>(tickAtOrBefore(now), due);
  }

  /** How many keys have a plan. */
  public int size() {
    return tickOf.size();
  }

  private long tickAtOrBefore(long now) {
    return Math.floorDiv(now, tickNanos) * tickNanos;
  }

  private long tickAtOrAfter(long nanos) {
    long floor = tickAtOrBefore(nanos);
    return floor == nanos ? nanos : Nanos.plus(floor, tickNanos);
  }
}

package io.vigil.probe;

import io.vigil.time.Nanos;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * <p>Planning allocates nothing once a key has been planned before and its tick has a bucket: at
 * 500 probes a second a key is planned twice per probe, and objects that live a period (a set per
 * tick, a node per key) outlive young collections and fill the old generation.
 *
 * <p>Not thread-safe: owned by the control thread. Keys are compared by {@code equals}.
 */
public final class ProbeAgenda<K> {
  /**
   * Coarse enough that probes launched a few milliseconds apart go out together, fine enough
   * to be nothing beside a probe's period (the kubelet's is at least 1 s) or timeout.
   */
  public static final Duration TICK = Duration.ofMillis(10);

  /** Emptied buckets kept for reuse; a second's worth of ticks covers the usual periods. */
  private static final int MAX_SPARE_BUCKETS = 128;
  /** A bucket that held more keys than this is not kept for reuse: its array stays that large. */
  private static final int MAX_SPARE_BUCKET_KEYS = 1024;

  private final long tickNanos;
  private final TreeMap<Long, Bucket<K>> byTick = new TreeMap<>();
  /** Each key's plan, kept from its first plan until it is cancelled. */
  private final Map<K, Plan<K>> plans = new HashMap<>();
  private final ArrayDeque<Bucket<K>> spareBuckets = new ArrayDeque<>();
  private int planned;
  private int compactions;

  /**
   * The tick a key is planned for, if it is planned. Buckets hold plans, not keys: taking a
   * bucket reads each plan directly, with no map lookup per key (those lookups, each a cache miss
   * or two, were most of the control thread's time in {@link #takeDue}).
   */
  private static final class Plan<K> {
    final K key;
    boolean planned;
    long tick;
    /** The compaction that last kept this key in its bucket: each key is kept once. */
    int keptBy;

    Plan(K key) {
      this.key = key;
    }

    boolean plannedAt(long at) {
      return planned && tick == at;
    }
  }

  /**
   * The keys planned for one tick, in planning order. A key moved to another tick stays in its
   * old bucket (removing it from a list would cost a scan) and is skipped there, since its plan
   * names the other tick; {@code live} counts the keys that really are planned here, so that a
   * bucket nobody is planned for leaves the agenda at once, and one whose stale entries
   * outnumber its live ones is compacted.
   */
  private static final class Bucket<K> {
    final ArrayList<Plan<K>> plans = new ArrayList<>();
    int live;
  }

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
    Plan<K> plan = plans.get(Objects.requireNonNull(key, "key"));
    boolean due = dueNanos != Long.MAX_VALUE;
    long tick = due ? tickAtOrAfter(dueNanos) : 0;
    if (plan == null) {
      if (!due) {
        return;
      }
      plan = new Plan<>(key);
      plans.put(key, plan);
    } else if (due && plan.plannedAt(tick)) {
      return; // planned there already
    }
    unplan(plan);
    if (due) {
      Bucket<K> bucket = byTick.get(tick);
      if (bucket == null) {
        bucket = spareBuckets.isEmpty() ? new Bucket<>() : spareBuckets.pop();
        byTick.put(tick, bucket);
      }
      bucket.plans.add(plan);
      bucket.live++;
      plan.planned = true;
      plan.tick = tick;
      planned++;
      if (bucket.plans.size() > 2 * bucket.live + 16) {
        compact(bucket, tick);
      }
    }
  }

  /** Removes {@code key}'s plan, if any, and forgets the key. */
  public void cancel(K key) {
    Plan<K> plan = plans.remove(Objects.requireNonNull(key, "key"));
    if (plan != null) {
      unplan(plan);
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
    List<K> due = List.of();
    while (!byTick.isEmpty() && byTick.firstKey() <= now) {
      Map.Entry<Long, Bucket<K>> first = byTick.pollFirstEntry();
      long tick = first.getKey();
      Bucket<K> bucket = first.getValue();
      if (due.isEmpty()) {
        due = new ArrayList<>(bucket.live); // nearly always one bucket: no growing
      }
      for (Plan<K> plan : bucket.plans) {
        if (plan.plannedAt(tick)) {
          plan.planned = false;
          planned--;
          due.add(plan.key);
        }
      }
      recycle(bucket);
    }
    return new Due<>(tickAtOrBefore(now), due);
  }

  /** How many keys have a plan. */
  public int size() {
    return planned;
  }

  /** How many entries, stale ones included, the bucket of {@code tick} holds; for tests. */
  int entriesAt(long tick) {
    Bucket<K> bucket = byTick.get(tick);
    return bucket == null ? 0 : bucket.plans.size();
  }

  private void unplan(Plan<K> plan) {
    if (!plan.planned) {
      return;
    }
    Bucket<K> bucket = byTick.get(plan.tick);
    if (--bucket.live == 0) {
      byTick.remove(plan.tick);
      recycle(bucket);
    }
    plan.planned = false;
    planned--;
  }

  /**
   * Drops the bucket's stale entries, keeping each key planned here once and in order: a key
   * that keeps moving in and out of a far tick (a long liveness period beside a short readiness
   * one) would otherwise grow the bucket until that tick comes.
   */
  private void compact(Bucket<K> bucket, long tick) {
    int pass = ++compactions;
    bucket.plans.removeIf(plan -> {
      boolean keep = plan.plannedAt(tick) && plan.keptBy != pass;
      if (keep) {
        plan.keptBy = pass;
      }
      return !keep;
    });
  }

  private void recycle(Bucket<K> bucket) {
    boolean large = bucket.plans.size() > MAX_SPARE_BUCKET_KEYS;
    bucket.plans.clear();
    bucket.live = 0;
    if (!large && spareBuckets.size() < MAX_SPARE_BUCKETS) {
      spareBuckets.push(bucket);
    }
  }

  private long tickAtOrBefore(long now) {
    return Math.floorDiv(now, tickNanos) * tickNanos;
  }

  private long tickAtOrAfter(long nanos) {
    long floor = tickAtOrBefore(nanos);
    return floor == nanos ? nanos : Nanos.plus(floor, tickNanos);
  }
}

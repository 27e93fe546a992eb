package io.vigil.instance;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The most recent {@link InstanceEvent}s (state transitions and load balancer rotation changes),
 * in a bounded ring: when full, the oldest is dropped.
 *
 * <pre>{@code
 * var log = new EventLog(1000);
 * try (var sub = log.subscribe(t -> metrics.count(t))) {
 *   log.add(transition);
 *   log.query("web", since, 50);   // up to 50 of web's events at or after since, newest last
 * }
 * }</pre>
 *
 * <p>Thread-safe. Listeners are called by the thread that adds, after the add and outside the
 * lock; a listener that throws is logged and does not affect other listeners or the caller. When
 * several threads add at once, listeners may see those events in a different order than
 * {@link #recent} does.
 */
public final class EventLog {
  private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

  /** A listener's registration; closing it stops delivery. Closing twice is harmless. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  private final InstanceEvent[] ring;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private int next; // slot of the next add
  private int size;
  private long total;

  public EventLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.ring = new InstanceEvent[capacity];
  }

  public void add(InstanceEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (ring) {
      ring[next] = event;
      next = (next + 1) % ring.length;
      size = Math.min(size + 1, ring.length);
      total++;
    }
    for (Listener listener : listeners) {
      listener.deliver(event);
    }
  }

  /** Up to {@code limit} of the newest events, newest last. */
  public List<InstanceEvent> recent(int limit) {
    return select(t -> true, limit);
  }

  /**
   * Up to {@code limit} of the newest events of service {@code serviceOrNull} (null: all
   * services) at or after {@code sinceOrNull} (null: any time), newest last.
   */
  public List<InstanceEvent> query(String serviceOrNull, Instant sinceOrNull, int limit) {
    Predicate<InstanceEvent> ofService =
        t -> serviceOrNull == null || serviceOrNull.equals(t.instance().service());
    Predicate<InstanceEvent> recentEnough =
        t -> sinceOrNull == null || !t.at().isBefore(sinceOrNull);
    return select(ofService.and(recentEnough), limit);
  }

  /** Events ever added, including those the ring has since dropped. */
  public long total() {
    synchronized (ring) {
      return total;
    }
  }

  public int capacity() {
    return ring.length;
  }

  public Subscription subscribe(Consumer<InstanceEvent> listener) {
    Listener entry = new Listener(Objects.requireNonNull(listener, "listener"));
    listeners.add(entry);
    // Remove by identity of the wrapper, so the same consumer may be subscribed twice.
    return () -> listeners.remove(entry);
  }

  private List<InstanceEvent> select(Predicate<InstanceEvent> filter, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    List<InstanceEvent> newestFirst = new ArrayList<>(Math.min(limit, ring.length));
    synchronized (ring) {
      for (int i = 1; i <= size && newestFirst.size() < limit; i++) {
        InstanceEvent t = ring[Math.floorMod(next - i, ring.length)];
        if (filter.test(t)) {
          newestFirst.add(t);
        }
      }
    }
    Collections.reverse(newestFirst);
    return Collections.unmodifiableList(newestFirst);
  }

  private static final class Listener {
    private final Consumer<InstanceEvent> consumer;

    Listener(Consumer<InstanceEvent> consumer) {
      this.consumer = consumer;
    }

    void deliver(InstanceEvent event) {
      try {
        consumer.accept(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, () -> "event listener " + consumer + " failed on: "
            + event.describe(), e);
      }
    }
  }
}

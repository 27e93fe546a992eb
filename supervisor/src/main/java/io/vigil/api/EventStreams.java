package io.vigil.api;

import io.vigil.api.json.EventJson;
import io.vigil.instance.EventLog;
import io.vigil.instance.InstanceEvent;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live event streams ({@code GET /v1/events/stream}): each client is subscribed to the
 * {@link EventLog} and gets one {@code event: transition} per state transition and one {@code
 * event: rotation} per load balancer rotation change, and a {@code : keepalive} comment every
 * {@link #KEEPALIVE}, which also finds clients that went away without
 * a word (their write fails, and they are unsubscribed).
 *
 * <p>At most {@link #MAX_CLIENTS} at once: each holds a connection and, while writing, a thread.
 * Thread-safe.
 */
final class EventStreams implements AutoCloseable {
  private static final Logger LOG = System.getLogger(EventStreams.class.getName());
  static final int MAX_CLIENTS = 64;
  static final Duration KEEPALIVE = Duration.ofSeconds(15);

  private final EventLog log;
  private final ApiJson json;
  private final Set<EventStreamClient> clients = ConcurrentHashMap.newKeySet();
  /** Writers block on slow sockets; cached threads so one slow client never delays another. */
  private final ExecutorService writers = Executors.newCachedThreadPool(daemon("vigil-api-sse"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(daemon("vigil-api-keepalive"));
  private volatile Sse sse;

  EventStreams(EventLog log, ApiJson json) {
    this.log = log;
    this.json = json;
    long period = KEEPALIVE.toMillis();
    timer.scheduleWithFixedDelay(this::keepalive, period, period, TimeUnit.MILLISECONDS);
  }

  /** Subscribes a newly connected client; refuses with 503 when too many are connected. */
  void open(SseEventSink sink, Sse sse) {
    this.sse = sse;
    if (clients.size() >= MAX_CLIENTS) {
      throw new ProblemException(Status.SERVICE_UNAVAILABLE, "too many event streams open (limit "
          + MAX_CLIENTS + "); try again later");
    }
    AtomicReference<EventLog.Subscription> subscription = new AtomicReference<>();
    EventStreamClient client = new EventStreamClient(sink, writers, gone -> {
      clients.remove(gone);
      EventLog.Subscription s = subscription.get();
      if (s != null) {
        s.close();
      }
    });
    clients.add(client);
    subscription.set(log.subscribe(e -> client.offer(outbound(sse, e))));
    if (client.isClosed()) {
      subscription.get().close(); // it went before the subscription was stored
    }
    client.offer(sse.newEventBuilder().comment("connected").build());
  }

  /** Clients connected now. */
  int size() {
    return clients.size();
  }

  /** Named by its kind: {@code transition} or {@code rotation}. */
  private OutboundSseEvent outbound(Sse sse, InstanceEvent event) {
    EventJson body = ToJson.event(event);
    String data = json.write(body);
    return sse.newEventBuilder().name(body.kind()).mediaType(MediaType.TEXT_PLAIN_TYPE)
        .data(String.class, data).build();
  }

  /** A periodic task: must survive its own bugs, or the timer cancels it silently. */
  private void keepalive() {
    try {
      Sse current = sse;
      if (current != null) {
        OutboundSseEvent ping = current.newEventBuilder().comment("keepalive").build();
        clients.forEach(c -> c.offer(ping));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "event stream keepalive failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    clients.forEach(EventStreamClient::close);
    clients.clear();
    writers.shutdownNow();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

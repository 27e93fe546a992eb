package io.vigil.api;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One connected Server-Sent Events client. {@link #offer} never blocks: it is called on the
 * supervisor's control thread (by the event log), which must never wait for a slow browser. Events
 * queue up (bounded) and one writer task at a time drains them on the shared writer executor.
 * A client that falls {@link #QUEUE} events behind, or whose connection fails, is closed; closing
 * runs {@code onClose} once (to unsubscribe it).
 *
 * <p>Thread-safe.
 */
final class EventStreamClient {
  private static final Logger LOG = System.getLogger(EventStreamClient.class.getName());
  static final int QUEUE = 512;

  private final SseEventSink sink;
  private final Executor writers;
  private final Consumer<EventStreamClient> onClose;
  private final BlockingQueue<OutboundSseEvent> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  EventStreamClient(SseEventSink sink, Executor writers, Consumer<EventStreamClient> onClose) {
    this.sink = sink;
    this.writers = writers;
    this.onClose = onClose;
  }

  void offer(OutboundSseEvent event) {
    if (closed.get()) {
      return;
    }
    if (!queue.offer(event)) {
      LOG.log(Level.INFO, "closing an event stream that is " + QUEUE + " events behind");
      close();
      return;
    }
    scheduleDrain();
  }

  boolean isClosed() {
    return closed.get();
  }

  void close() {
    if (closed.compareAndSet(false, true)) {
      queue.clear();
      try {
        onClose.accept(this);
      } finally {
        closeSink();
      }
    }
  }

  private void closeSink() {
    try {
      sink.close();
    } catch (IOException e) {
      // The connection is already broken; there is nobody left to tell.
      LOG.log(Level.DEBUG, "closing an event stream: " + e);
    }
  }

  private void scheduleDrain() {
    if (draining.compareAndSet(false, true)) {
      try {
        writers.execute(this::drain);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        close(); // the server is shutting down
      }
    }
  }

  private void drain() {
    try {
      OutboundSseEvent event;
      while (!closed.get() && (event = queue.poll()) != null) {
        if (!send(event)) {
          close();
        }
      }
    } finally {
      draining.set(false);
    }
    // An offer may have come after the last poll but before draining was cleared.
    if (!queue.isEmpty() && !closed.get()) {
      scheduleDrain();
    }
  }

  /** False when the client has gone: the connection is closed or the write failed. */
  private boolean send(OutboundSseEvent event) {
    if (sink.isClosed()) {
      return false;
    }
    try {
      return !sink.send(event).toCompletableFuture().isCompletedExceptionally();
    } catch (IllegalStateException e) {
      return false; // closed between the check and the send
    }
  }
}

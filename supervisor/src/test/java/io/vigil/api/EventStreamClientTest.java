package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.api.Test;

class EventStreamClientTest {
  /** A sink owned by the test: records what is sent, fails on demand. */
  static final class FakeSink implements SseEventSink {
    final List<String> sent = new ArrayList<>();
    boolean failSends;
    boolean closed;

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
      if (failSends) {
        return CompletableFuture.failedFuture(new java.io.IOException("broken pipe"));
      }
      sent.add(event.getComment());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Runs drains only when the test says so, like a writer thread that is busy. */
  static final class ManualExecutor implements java.util.concurrent.Executor {
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      while (!tasks.isEmpty()) {
        tasks.remove(0).run();
      }
    }
  }

  private static OutboundSseEvent event(String name) {
    return new OutboundEvent.Builder().comment(name).build();
  }

  @Test
  void deliversInOrderWithOneDrainAtATime() {
    // Given a client whose writer has not run yet
    FakeSink sink = new FakeSink();
    ManualExecutor writers = new ManualExecutor();
    EventStreamClient client = new EventStreamClient(sink, writers, c -> { });

    // When three events arrive
    client.offer(event("a"));
    client.offer(event("b"));
    client.offer(event("c"));

    // Then one drain is scheduled, and it sends all three in order
    assertEquals(1, writers.tasks.size());
    writers.runAll();
    assertEquals(List.of("a", "b", "c"), sink.sent);
  }

  @Test
  void aFailedWriteClosesTheClientAndUnsubscribesOnce() {
    // Given a client whose connection has broken
    FakeSink sink = new FakeSink();
    sink.failSends = true;
    ManualExecutor writers = new ManualExecutor();
    AtomicInteger closes = new AtomicInteger();
    EventStreamClient client = new EventStreamClient(sink, writers, c -> closes.incrementAndGet());

    // When an event is written
    client.offer(event("a"));
    writers.runAll();

    // Then the client is closed, its sink too, and onClose ran once
    assertTrue(client.isClosed());
    assertTrue(sink.closed);
    assertEquals(1, closes.get());
    client.offer(event("b"));
    client.close();
    assertEquals(1, closes.get());
    assertTrue(writers.tasks.isEmpty());
  }

  @Test
  void aClientThatFallsTooFarBehindIsClosedInsteadOfBlockingTheCaller() {
    // Given a writer that never gets to run (a stuck socket)
    FakeSink sink = new FakeSink();
    ManualExecutor writers = new ManualExecutor();
    AtomicInteger closes = new AtomicInteger();
    EventStreamClient client = new EventStreamClient(sink, writers, c -> closes.incrementAndGet());

    // When more events arrive than the queue holds
    for (int i = 0; i <= EventStreamClient.QUEUE; i++) {
      client.offer(event("e" + i));
    }

    // Then the offer that overflowed closed the client; nothing blocked
    assertTrue(client.isClosed());
    assertEquals(1, closes.get());
    writers.runAll();
    assertTrue(sink.sent.isEmpty());
  }

  @Test
  void aSinkClosedByTheContainerEndsTheClient() {
    FakeSink sink = new FakeSink();
    ManualExecutor writers = new ManualExecutor();
    EventStreamClient client = new EventStreamClient(sink, writers, c -> { });
    sink.closed = true;

    client.offer(event("a"));
    writers.runAll();

    assertTrue(client.isClosed());
    assertFalse(sink.sent.contains("a"));
  }
}

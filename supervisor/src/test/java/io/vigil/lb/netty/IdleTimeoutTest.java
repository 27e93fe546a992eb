package io.vigil.lb.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On EmbeddedChannel's own clock: time moves only when the test says. */
class IdleTimeoutTest {
  private static final long IDLE_MS = 1_000;
  private final List<String> events = new ArrayList<>();
  private final EmbeddedChannel channel = new EmbeddedChannel();

  @BeforeEach
  void open() {
    channel.freezeTime(); // EmbeddedChannel's clock follows real time by default
    channel.pipeline().addLast(
        new IdleTimeout(TimeUnit.MILLISECONDS.toNanos(IDLE_MS), new LoopTimers()),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent idle) {
              events.add(idle.isFirst() ? "first idle" : "idle");
            }
          }
        });
  }

  private void advanceMs(long ms) {
    channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void aSilentConnectionIsIdleAfterTheTimeoutAndAgainAfterEachFurtherPeriod() {
    // When nothing happens for just under the timeout / Then no event
    advanceMs(IDLE_MS - 1);
    assertEquals(List.of(), events);

    // When the timeout is reached, and then another period passes / Then told each time
    advanceMs(1);
    assertEquals(List.of("first idle"), events);
    advanceMs(IDLE_MS);
    assertEquals(List.of("first idle", "idle"), events);
  }

  @Test
  void readsAndFlushesPushTheTimeoutBack() {
    // Given a read in the middle of the period, then a flush in the middle of the next
    advanceMs(IDLE_MS / 2);
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
    channel.releaseInbound();
    advanceMs(IDLE_MS / 2 + IDLE_MS / 4);
    channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {2}));
    channel.releaseOutbound();

    // When just under the timeout passes after the flush / Then not idle
    advanceMs(IDLE_MS - 1);
    assertEquals(List.of(), events);

    // When the timeout is reached after the last flush / Then idle, as a first time again
    advanceMs(1);
    assertEquals(List.of("first idle"), events);
  }

  @Test
  void aClosedConnectionIsNeverIdle() {
    channel.close();
    advanceMs(10 * IDLE_MS);
    assertEquals(List.of(), events);
  }
}

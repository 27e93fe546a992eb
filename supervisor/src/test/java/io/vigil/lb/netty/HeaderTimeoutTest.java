package io.vigil.lb.netty;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** On EmbeddedChannel's own clock: time moves only when the test says. */
class HeaderTimeoutTest {
  private static final long TIMEOUT_MS = 10_000;

  private static void receive(EmbeddedChannel channel, String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    channel.releaseInbound();
  }

  @Test
  void aHeadStartedAndNotFinishedInTimeClosesTheConnection() {
    // Given a connection whose client sent the start of a head
    HeaderTimeout timeout = new HeaderTimeout(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS), new LoopTimers());
    EmbeddedChannel channel = new EmbeddedChannel(timeout);
    channel.freezeTime(); // its clock follows real time by default
    receive(channel, "GET / HTTP/1.1\r\nHost: x\r\n");

    // When just under the timeout passes / Then it is still open
    channel.advanceTimeBy(TIMEOUT_MS - 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertTrue(channel.isOpen());

    // When the timeout is reached / Then it is closed
    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertFalse(channel.isOpen());
  }

  @Test
  void aWholeHeadStopsTheClockAndAnIdleConnectionIsNotTimed() {
    // Given a head that arrived in time
    HeaderTimeout timeout = new HeaderTimeout(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS), new LoopTimers());
    EmbeddedChannel channel = new EmbeddedChannel(timeout);
    channel.freezeTime(); // its clock follows real time by default
    receive(channel, "GET / HTTP/1.1\r\n");
    channel.advanceTimeBy(TIMEOUT_MS / 2, TimeUnit.MILLISECONDS);
    timeout.headReceived();

    // When the exchange takes long, and then the connection idles between requests
    channel.advanceTimeBy(10 * TIMEOUT_MS, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    timeout.awaitNextHead();
    channel.advanceTimeBy(10 * TIMEOUT_MS, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();

    // Then it stays open: only a started head is timed (idle-timeout covers idle connections)
    assertTrue(channel.isOpen());

    // When the next head starts and stalls / Then the clock runs again
    receive(channel, "G");
    channel.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertFalse(channel.isOpen());
  }
}

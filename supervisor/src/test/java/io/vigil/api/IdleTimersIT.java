package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Grizzly's timer thread runs while connections are open, and only then, and still times out. */
class IdleTimersIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private HttpServer server;
  private IdleTimers timers;
  private int port;

  @BeforeEach
  void start() throws Exception {
    NetworkListener listener = new NetworkListener("test", "127.0.0.1", 0);
    listener.getKeepAlive().setIdleTimeoutInSeconds(1); // what the timer enforces
    server = new HttpServer();
    server.addListener(listener);
    timers = IdleTimers.watch(listener);
    server.start();
    timers.attach(server);
    port = listener.getPort();
  }

  @AfterEach
  void stop() {
    server.shutdownNow();
  }

  @Test
  void theTimerRunsOnlyWhileAConnectionIsOpen() throws Exception {
    // Given a server nobody is connected to
    await("timer stopped", () -> timers.stopped() && timerThreads() == 0);

    try (Socket first = connect()) {
      // When a connection opens, then a second
      await("timer running", () -> !timers.stopped() && timerThreads() == 1);
      try (Socket second = connect()) {
        Thread.sleep(100);
        assertEquals(1, timerThreads());
      }
      // Then one of two closing leaves it running
      Thread.sleep(100);
      assertEquals(1, timerThreads());
      assertFalse(timers.stopped());
    }
    // and the last closing stops it
    await("timer stopped", () -> timers.stopped() && timerThreads() == 0);
  }

  @Test
  void anIdleConnectionIsStillClosedAfterTheTimerWasStoppedAndStartedAgain() throws Exception {
    // Given the timer stopped, after one connection came and went
    try (Socket ignored = connect()) {
      await("timer running", () -> timerThreads() == 1);
    }
    await("timer stopped", () -> timerThreads() == 0);

    // When a connection stays idle past the server's idle timeout (1 s)
    try (Socket idle = connect()) {
      idle.setSoTimeout((int) WAIT.toMillis());
      InputStream in = idle.getInputStream();

      // Then the server closes it
      long started = System.nanoTime();
      assertEquals(-1, in.read(), "end of stream: closed by the server");
      assertTrue(System.nanoTime() - started < WAIT.toNanos());
    }
  }

  private Socket connect() throws Exception {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    return socket;
  }

  /** Threads running Grizzly's timer loop. */
  private static long timerThreads() {
    return Thread.getAllStackTraces().values().stream()
        .filter(stack -> Arrays.stream(stack).anyMatch(
            frame -> frame.getClassName().endsWith("DelayedExecutor$DelayedRunnable")))
        .count();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + WAIT + ": " + what);
      Thread.sleep(20);
    }
  }
}

package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import io.vigil.probe.check.Checkers;
import io.vigil.probe.check.FakeAgent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP checks over kept-alive connections, against a server on 127.0.0.1 that counts them. */
@Timeout(20)
class HttpKeepAliveIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
  // Generous: the check must give up at its timeout, but CI machines stall.
  private static final Duration MARGIN = Duration.ofSeconds(2);

  private final Checkers checkers = new Checkers(new FakeAgent());
  private CountingServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new CountingServer();
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    checkers.close();
    server.close();
  }

  @Test
  void twoChecksReuseOneConnection() {
    // When
    CheckOutcome first = check(true, TIMEOUT);
    CheckOutcome second = check(true, TIMEOUT);

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), first);
    assertEquals(CheckOutcome.success("HTTP 200"), second);
    assertEquals(1, server.accepted.get());
    assertEquals(2, server.requests.get());
  }

  @Test
  void withoutKeepAliveEveryCheckConnectsAndAsksTheServerToClose() throws InterruptedException {
    // When
    CheckOutcome first = check(false, TIMEOUT);
    CheckOutcome second = check(false, TIMEOUT);

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), first);
    assertEquals(CheckOutcome.success("HTTP 200"), second);
    assertEquals(2, server.accepted.get());
    String head = server.heads.poll(5, TimeUnit.SECONDS);
    assertTrue(head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n"), head);
  }

  @Test
  void aConfiguredConnectionCloseHeaderIsNotReusedEvenWhenTheServerKeepsItOpen() {
    // When: keep-alive on, but the user's headers say "close" (this server ignores that)
    CheckOutcome first = check(Map.of("Connection", "close"), true, TIMEOUT);
    CheckOutcome second = check(Map.of("Connection", "close"), true, TIMEOUT);

    // Then: we said close, so each check has its own connection (RFC 9112 section 9.6)
    assertEquals(CheckOutcome.success("HTTP 200"), first);
    assertEquals(CheckOutcome.success("HTTP 200"), second);
    assertEquals(2, server.accepted.get());
  }

  @Test
  void aServerThatClosesTheConnectionIsReconnectedAndTheNextCheckSucceeds() {
    // Given: the server answers "Connection: close" and closes
    server.mode = Mode.CLOSE;
    assertEquals(CheckOutcome.success("HTTP 200"), check(true, TIMEOUT));

    // When
    server.mode = Mode.KEEP;
    CheckOutcome next = check(true, TIMEOUT);

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), next);
    assertEquals(2, server.accepted.get());
  }

  @Test
  void aServerThatDropsAnIdleConnectionSilentlyIsReconnected() throws InterruptedException {
    // Given: keep-alive promised, then the server closes the idle connection (its idle timeout)
    assertEquals(CheckOutcome.success("HTTP 200"), check(true, TIMEOUT));
    server.closeAll();

    // When: the check may find the connection closed, or race the close and retry
    CheckOutcome next = check(true, TIMEOUT);

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), next);
    assertEquals(2, server.accepted.get());
  }

  @Test
  void aHungServerOnAKeptConnectionFailsWithinTheTimeoutAndTheConnectionIsDropped()
      throws InterruptedException {
    // Given a kept connection (the normal timeout for checks that must pass: the first one runs
    // on a cold checker; only the hung check has the short one)
    assertEquals(CheckOutcome.success("HTTP 200"), check(true, TIMEOUT));
    server.mode = Mode.HANG;
    long start = System.nanoTime();

    // When
    CheckOutcome hung = check(true, SHORT_TIMEOUT);

    // Then
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(CheckOutcome.failure("timed out after 300ms"), hung);
    assertTrue(took.compareTo(SHORT_TIMEOUT.minusMillis(50)) >= 0, "took " + took);
    assertTrue(took.compareTo(SHORT_TIMEOUT.plus(MARGIN)) < 0, "took " + took);
    assertTrue(server.clientClosed.poll(5, TimeUnit.SECONDS) != null, "connection dropped");
    server.mode = Mode.KEEP;
    assertEquals(CheckOutcome.success("HTTP 200"), check(true, TIMEOUT));
    assertEquals(2, server.accepted.get());
  }

  @Test
  void aServerErrorOnAKeptConnectionIsAFailure() {
    // Given
    assertEquals(CheckOutcome.success("HTTP 200"), check(true, TIMEOUT));

    // When
    server.mode = Mode.ERROR;
    CheckOutcome failed = check(true, TIMEOUT);

    // Then
    assertEquals(CheckOutcome.failure("HTTP 500"), failed);
    assertEquals(1, server.accepted.get());
  }

  private CheckOutcome check(boolean keepAlive, Duration timeout) {
    return check(Map.of(), keepAlive, timeout);
  }

  private CheckOutcome check(Map<String, String> headers, boolean keepAlive, Duration timeout) {
    CheckSpec.Http spec = new CheckSpec.Http("/healthz", OptionalInt.empty(), headers, keepAlive);
    return checkers.check(spec, HttpCheckIT.target(server.port()), timeout).join();
  }

  private enum Mode { KEEP, CLOSE, HANG, ERROR }

  /**
   * An HTTP/1.1 server that counts connections and requests: one thread accepts, one thread per
   * connection answers as {@link #mode} says. Closing it closes every socket and joins every
   * thread.
   */
  private static final class CountingServer implements AutoCloseable {
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final BlockingQueue<String> heads = new LinkedBlockingQueue<>();
    final BlockingQueue<Socket> clientClosed = new LinkedBlockingQueue<>();
    volatile Mode mode = Mode.KEEP;

    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    CountingServer() throws IOException {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      start(this::acceptLoop);
    }

    int port() {
      return listener.getLocalPort();
    }

    /** Closes every open connection from the server's side, as an idle timeout would. */
    void closeAll() {
      for (Socket socket : sockets) {
        closeQuietly(socket);
      }
    }

    private void acceptLoop() {
      while (!listener.isClosed()) {
        try {
          Socket socket = listener.accept();
          accepted.incrementAndGet();
          sockets.add(socket);
          start(() -> serve(socket));
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void serve(Socket socket) {
      try (socket; InputStream in = socket.getInputStream();
          OutputStream out = socket.getOutputStream()) {
        for (String head; (head = readHead(in)) != null; ) {
          requests.incrementAndGet();
          heads.add(head);
          Mode now = mode;
          if (now == Mode.HANG) {
            continue; // never answer; read on until the client gives up
          }
          out.write(answer(now).getBytes(StandardCharsets.US_ASCII));
          out.flush();
          if (now == Mode.CLOSE) {
            return;
          }
        }
        clientClosed.add(socket);
      } catch (IOException closedByUs) {
        // closeAll() or close()
      }
    }

    private static String answer(Mode mode) {
      return switch (mode) {
        case CLOSE -> "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
        case ERROR -> "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";
        default -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
      };
    }

    /** The request head up to its empty line, or null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      for (int b; (b = in.read()) >= 0; ) {
        head.append((char) b);
        if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
          return head.toString();
        }
      }
      return null;
    }

    private void start(Runnable task) {
      Thread thread = new Thread(task, "counting-server");
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      closeQuietly(listener);
      closeAll();
      for (Thread thread : threads) {
        thread.join(5_000);
        assertTrue(!thread.isAlive(), "server thread still running");
      }
    }

    private static void closeQuietly(AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // closing is all we want
      }
    }
  }
}

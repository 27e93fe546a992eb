package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.demo.DemoBackend;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import io.vigil.probe.check.CheckTarget;
import io.vigil.probe.check.Checkers;
import io.vigil.probe.check.FakeAgent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP checks against real sockets on 127.0.0.1. */
@Timeout(20)
class HttpCheckIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
  // Generous: the check must give up at its timeout, but CI machines stall.
  private static final Duration MARGIN = Duration.ofSeconds(2);

  private final Checkers checkers = new Checkers(new FakeAgent());
  private final AtomicInteger followed = new AtomicInteger();
  private final CompletableFuture<Headers> probeHeaders = new CompletableFuture<>();
  private ExecutorService serverThreads;
  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/ok", exchange -> answer(exchange, 200));
    server.createContext("/missing", exchange -> answer(exchange, 404));
    server.createContext("/error", exchange -> answer(exchange, 500));
    server.createContext("/redirect", exchange -> {
      exchange.getResponseHeaders().set("Location", "/followed");
      answer(exchange, 302);
    });
    server.createContext("/followed", exchange -> {
      followed.incrementAndGet();
      answer(exchange, 500);
    });
    server.createContext("/headers", exchange -> {
      probeHeaders.complete(exchange.getRequestHeaders());
      answer(exchange, 200);
    });
    server.createContext("/huge", HttpCheckIT::streamHugeBody);
    serverThreads = Executors.newFixedThreadPool(4);
    server.setExecutor(serverThreads);
    server.start();
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    checkers.close();
    server.stop(0);
    serverThreads.shutdownNow();
    assertTrue(serverThreads.awaitTermination(5, TimeUnit.SECONDS));
  }

  @Test
  void okIsSuccess() {
    assertEquals(CheckOutcome.success("HTTP 200"), get("/ok", server.getAddress().getPort()));
  }

  @Test
  void redirectIsSuccessAndNotFollowed() {
    assertEquals(CheckOutcome.success("HTTP 302"), get("/redirect", server.getAddress().getPort()));
    assertEquals(0, followed.get());
  }

  @Test
  void clientAndServerErrorsAreFailures() {
    int port = server.getAddress().getPort();
    assertEquals(CheckOutcome.failure("HTTP 404"), get("/missing", port));
    assertEquals(CheckOutcome.failure("HTTP 500"), get("/error", port));
  }

  @Test
  void sendsTheProbeHeadersAndTheConfiguredOnes() throws Exception {
    // Given
    int port = server.getAddress().getPort();
    CheckSpec.Http spec =
        new CheckSpec.Http("/headers", OptionalInt.empty(), Map.of("X-Probe", "liveness"), true);

    // When
    CheckOutcome outcome = checkers.check(spec, target(port), TIMEOUT).join();

    // Then
    assertTrue(outcome.success(), outcome.detail());
    Headers headers = probeHeaders.get(5, TimeUnit.SECONDS);
    assertEquals("127.0.0.1:" + port, headers.getFirst("Host"));
    assertEquals("vigil-probe/1", headers.getFirst("User-Agent"));
    assertEquals("keep-alive", headers.getFirst("Connection"));
    assertEquals("liveness", headers.getFirst("X-Probe"));
  }

  @Test
  void aHugeBodyIsNotRead() {
    assertEquals(CheckOutcome.success("HTTP 200"), get("/huge", server.getAddress().getPort()));
  }

  @Test
  void theChecksOwnPortWinsOverTheInstancePort() throws IOException {
    // Given: the instance port is closed, the check names the server's port
    CheckSpec.Http spec =
        new CheckSpec.Http("/ok", OptionalInt.of(server.getAddress().getPort()), Map.of(), true);

    // When
    CheckOutcome outcome = checkers.check(spec, target(closedPort()), TIMEOUT).join();

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), outcome);
  }

  @Test
  void refusedConnectionIsFailure() throws IOException {
    assertEquals(CheckOutcome.failure("connect: connection refused"), get("/ok", closedPort()));
  }

  @Test
  void serverThatNeverAnswersFailsAtTheTimeout() throws IOException {
    // Given: the kernel completes the handshake from the backlog, nobody ever reads
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CheckSpec.Http spec = new CheckSpec.Http("/ok", OptionalInt.empty(), Map.of(), true);
      long start = System.nanoTime();

      // When
      CheckOutcome outcome =
          checkers.check(spec, target(silent.getLocalPort()), SHORT_TIMEOUT).join();

      // Then
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals(CheckOutcome.failure("timed out after 300ms"), outcome);
      assertTrue(took.compareTo(SHORT_TIMEOUT.minusMillis(50)) >= 0, "took " + took);
      assertTrue(took.compareTo(SHORT_TIMEOUT.plus(MARGIN)) < 0, "took " + took);
    }
  }

  @Test
  void aHungDemoBackendFailsItsLivenessCheck() throws IOException {
    // Given
    try (DemoBackend backend = DemoBackend.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), code -> {}, line -> {})) {
      CheckSpec.Http healthz = new CheckSpec.Http("/healthz", OptionalInt.empty(), Map.of(), true);
      // (the normal timeout for checks that must pass: the first one runs on a cold checker)
      assertEquals(
          CheckOutcome.success("HTTP 200"),
          checkers.check(healthz, target(backend.port()), TIMEOUT).join());

      // When: the demo accepts GET for faults, so a check can inject one
      CheckSpec.Http hang = new CheckSpec.Http("/fault/hang", OptionalInt.empty(), Map.of(), true);
      assertEquals(
          CheckOutcome.success("HTTP 200"),
          checkers.check(hang, target(backend.port()), TIMEOUT).join());

      // Then
      assertEquals(
          CheckOutcome.failure("timed out after 300ms"),
          checkers.check(healthz, target(backend.port()), SHORT_TIMEOUT).join());
    }
  }

  private CheckOutcome get(String path, int port) {
    CheckSpec.Http spec = new CheckSpec.Http(path, OptionalInt.empty(), Map.of(), true);
    CheckOutcome outcome = checkers.check(spec, target(port), TIMEOUT).join();
    assertFalse(outcome.detail().isBlank());
    return outcome;
  }

  static CheckTarget target(int port) {
    return new CheckTarget("127.0.0.1", OptionalInt.of(port), Path.of("."), Map.of());
  }

  /** A port that was free a moment ago and has no listener now. */
  static int closedPort() {
    return Host.freePort();
  }

  private static void answer(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private static void streamHugeBody(HttpExchange exchange) throws IOException {
    // 0 = chunked: the server would send forever; the check must still return at the head.
    exchange.sendResponseHeaders(200, 0);
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream body = exchange.getResponseBody()) {
      for (int i = 0; i < 16 * 1024; i++) {
        body.write(chunk);
      }
    } catch (IOException expected) {
      // The probe closed the connection after the status line, as it should.
    }
  }
}

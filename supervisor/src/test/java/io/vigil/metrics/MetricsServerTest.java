package io.vigil.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.vigil.config.ListenAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The /metrics endpoint over real sockets on 127.0.0.1. */
class MetricsServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private MetricsServer server;

  @BeforeEach
  void start() throws IOException {
    Counter.builder().name("test_scrapes").help("A counter for the test.").labelNames("kind")
        .register(registry).labelValues("a").inc(3);
    Counter.builder().name("test_other").help("Another one.").register(registry).inc();
    server = MetricsServer.start(new ListenAddress("127.0.0.1", 0), registry);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest.Builder to(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery));
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void getMetricsIsTheTextExpositionOfTheRegistry() throws Exception {
    HttpResponse<byte[]> response = send(to("/metrics"));
    assertEquals(200, response.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8",
        response.headers().firstValue("content-type").orElseThrow());
    assertTrue(text(response).contains("test_scrapes_total{kind=\"a\"} 3.0\n"), text(response));
    assertEquals(String.valueOf(response.body().length),
        response.headers().firstValue("content-length").orElseThrow());
  }

  @Test
  void scrapesOnOneKeptAliveConnectionEachGetAnAnswer() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, send(to("/metrics")).statusCode());
    }
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      String request = "GET /metrics?name[]=test_other HTTP/1.1\r\nHost: x\r\n\r\n";
      out.write((request + request).getBytes(StandardCharsets.US_ASCII));
      String both = readUntil(socket.getInputStream(), "test_other_total 1.0\n", 2);
      assertEquals(2, both.split("HTTP/1.1 200 OK", -1).length - 1, both);
    }
  }

  @Test
  void gzipIsSentWhenAskedFor() throws Exception {
    HttpResponse<byte[]> response = send(to("/metrics").header("Accept-Encoding", "gzip"));
    assertEquals("gzip", response.headers().firstValue("content-encoding").orElseThrow());
    String body;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(body.contains("test_scrapes_total{kind=\"a\"} 3.0\n"), body);
  }

  @Test
  void namesFilterAndOpenMetricsAreTheClientsOwn() throws Exception {
    HttpResponse<byte[]> response = send(to("/metrics?name[]=test_other")
        .header("Accept", "application/openmetrics-text; version=1.0.0"));
    assertTrue(response.headers().firstValue("content-type").orElseThrow()
        .startsWith("application/openmetrics-text"));
    assertTrue(text(response).contains("test_other_total 1.0\n"), text(response));
    assertFalse(text(response).contains("test_scrapes"), text(response));
    assertTrue(text(response).endsWith("# EOF\n"), text(response));
  }

  @Test
  void headHasTheHeadersButNoBody() throws Exception {
    HttpResponse<byte[]> response =
        send(to("/metrics").method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, response.statusCode());
    assertEquals(0, response.body().length);
    int length = Integer.parseInt(response.headers().firstValue("content-length").orElseThrow());
    assertEquals(send(to("/metrics")).body().length, length);
  }

  @Test
  void otherPathsAre404AndOtherMethods405() throws Exception {
    HttpResponse<byte[]> missing = send(to("/"));
    assertEquals(404, missing.statusCode());
    assertEquals("not found; metrics are at /metrics\n", text(missing));
    HttpResponse<byte[]> post =
        send(to("/metrics").POST(HttpRequest.BodyPublishers.ofString("x")));
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", post.headers().firstValue("allow").orElseThrow());
  }

  @Test
  void aRequestNettyCannotReadIs400AndTheConnectionCloses() throws Exception {
    // Headers over the 8 KiB limit, small enough to be read whole before the answer (no reset)
    String answer = raw("GET /metrics HTTP/1.1\r\nX: " + "a".repeat(9_000) + "\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
    assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close\r\n"), answer);
  }

  @Test
  void aBodyLargerThanAnyScrapeNeedsIsRefused() throws Exception {
    HttpResponse<byte[]> response = send(to("/metrics")
        .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(9_000))));
    assertEquals(413, response.statusCode());
  }

  @Test
  void aTakenPortIsTheSystemsReasonInOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      IOException e = assertThrows(IOException.class, () -> MetricsServer.start(
          new ListenAddress("127.0.0.1", taken.getLocalPort()), registry));
      assertEquals("Address already in use", e.getMessage());
    }
  }

  @Test
  void closeStopsItsThreadAndFreesThePort() throws Exception {
    Thread loop = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("vigil-metrics")).findFirst().orElseThrow();
    int port = server.port();
    server.close();
    loop.join(TIMEOUT.toMillis()); // Netty reports termination a moment before the thread ends
    assertFalse(loop.isAlive());
    new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
  }

  @Test
  void aPathWithABadEscapeIs400() throws Exception {
    String answer = raw("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
  }

  @Test
  void headOfACompressedScrapeHasTheCompressedLength() throws Exception {
    HttpResponse<byte[]> get = send(to("/metrics").header("Accept-Encoding", "gzip"));
    HttpResponse<byte[]> head = send(to("/metrics").header("Accept-Encoding", "gzip")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertEquals(String.valueOf(get.body().length),
        head.headers().firstValue("content-length").orElseThrow());
  }

  @Test
  void aCollectorThatFailsIsA500InOneLineAndTheNextScrapeWorks() throws Exception {
    AtomicBoolean fail = new AtomicBoolean(true);
    registry.register((Collector) () -> {
      if (fail.get()) {
        throw new IllegalStateException("collector bug");
      }
      return GaugeSnapshot.builder().name("test_late").build();
    });
    HttpResponse<byte[]> failed = send(to("/metrics"));
    assertEquals(500, failed.statusCode());
    assertEquals("scrape failed; see Vigil's log\n", text(failed));
    fail.set(false);
    assertEquals(200, send(to("/metrics")).statusCode());
  }

  @Test
  void aScrapeThatThrowsAnErrorClosesTheConnectionWithoutAnAnswer() throws Exception {
    registry.register((Collector) () -> {
      throw new AssertionError("worse than a bug");
    });
    assertEquals("", raw("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
  }

  /** Sends {@code request} on a new connection and reads until the server closes it. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Reads until {@code marker} has been seen {@code times} times. */
  private static String readUntil(InputStream in, String marker, int times) throws IOException {
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[8192];
    while (text.toString().split(marker, -1).length - 1 < times) {
      int n = in.read(buffer);
      if (n < 0) {
        break;
      }
      text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
    }
    return text.toString();
  }
}

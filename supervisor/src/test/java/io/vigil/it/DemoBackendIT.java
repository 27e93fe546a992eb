package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.demo.DemoBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo backend over real HTTP on 127.0.0.1; the crash exit is captured, not performed. */
@Timeout(30)
class DemoBackendIT {
  private static final String NO_FAULTS =
      "{\"hung\":false,\"slowMs\":0,\"errorRate\":0.0,\"ready\":true,\"leakedMiB\":0}";

  // JDK 17's HttpClient has no close(); one per class, released with the test JVM.
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private final List<String> faultLog = new CopyOnWriteArrayList<>();
  private DemoBackend backend;

  @BeforeEach
  void start() throws IOException {
    InetSocketAddress anyPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    backend = DemoBackend.start(anyPort, exitCode::complete, faultLog::add);
  }

  @AfterEach
  void stop() {
    backend.close();
  }

  @Test
  void rootGreetsWithServiceInstanceAndPid() throws Exception {
    HttpResponse<String> response = get("/");

    assertEquals(200, response.statusCode());
    assertTrue(response.body().startsWith("hello from "), response.body());
    assertTrue(response.body().contains(" pid " + ProcessHandle.current().pid()), response.body());
  }

  @Test
  void rootAlsoTakesAPostWithABody() throws Exception {
    HttpResponse<String> response = CLIENT.send(request("/")
        .POST(HttpRequest.BodyPublishers.ofString("order 42")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertTrue(response.body().startsWith("hello from "), response.body());
  }

  @Test
  void healthyAndReadyByDefault() throws Exception {
    assertEquals(200, get("/healthz").statusCode());
    assertEquals("ok\n", get("/healthz").body());
    assertEquals(200, get("/readyz").statusCode());
    assertEquals(NO_FAULTS + "\n", get("/fault").body());
  }

  @Test
  void readinessToggles() throws Exception {
    // When
    assertEquals(200, post("/fault/ready?on=false").statusCode());

    // Then
    assertEquals(503, get("/readyz").statusCode());
    assertEquals(200, get("/healthz").statusCode(), "not ready is still alive");

    // When
    assertEquals(200, get("/fault/ready?on=true").statusCode());

    // Then
    assertEquals(200, get("/readyz").statusCode());
    assertEquals(
        List.of("fault: ready off: /readyz answers 503", "fault: ready on"), faultLog);
  }

  @Test
  void errorRateOneFailsEveryRootRequestButNotHealth() throws Exception {
    // Given
    post("/fault/errors?rate=1.0");

    // Then
    for (int i = 0; i < 5; i++) {
      assertEquals(500, get("/").statusCode());
    }
    assertEquals(200, get("/healthz").statusCode());

    // When
    post("/fault/errors?rate=0");

    // Then
    assertEquals(200, get("/").statusCode());
  }

  @Test
  void slowDelaysResponses() throws Exception {
    // Given
    post("/fault/slow?ms=250");

    // When
    long start = System.nanoTime();
    HttpResponse<String> response = get("/healthz");
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    // Then
    assertEquals(200, response.statusCode());
    assertTrue(tookMs >= 250, "took " + tookMs + " ms");
    assertTrue(get("/fault").body().contains("\"slowMs\":250"));
  }

  @Test
  void hangStopsAnsweringEvenHealthz() throws Exception {
    // Given
    assertEquals(200, post("/fault/hang").statusCode());

    // Then
    for (String path : List.of("/healthz", "/fault")) {
      HttpRequest hung = request(path).timeout(Duration.ofMillis(300)).GET().build();
      assertThrows(
          HttpTimeoutException.class,
          () -> CLIENT.send(hung, HttpResponse.BodyHandlers.ofString()),
          path);
    }
  }

  @Test
  void resetClearsEveryFault() throws Exception {
    // Given
    post("/fault/ready?on=false");
    post("/fault/errors?rate=1");
    post("/fault/slow?ms=50");
    post("/fault/leak?mb=2");

    // When
    HttpResponse<String> reset = post("/fault/reset");

    // Then
    assertEquals(200, reset.statusCode());
    assertEquals(NO_FAULTS + "\n", reset.body());
    assertEquals(200, get("/").statusCode());
    assertEquals(200, get("/readyz").statusCode());
    assertEquals("fault: reset: all faults cleared", faultLog.get(faultLog.size() - 1));
  }

  @Test
  void leakIncreasesRetainedMemory() throws Exception {
    // When
    post("/fault/leak?mb=3");
    HttpResponse<String> more = post("/fault/leak?mb=2");

    // Then
    assertEquals(200, more.statusCode());
    assertTrue(more.body().contains("\"leakedMiB\":5"), more.body());
    assertTrue(faultLog.contains("fault: leak: +2 MiB, 5 MiB retained"), faultLog.toString());
  }

  @Test
  void leakGrowsResidentMemory() throws Exception {
    // Given
    Path status = Path.of("/proc/self/status");
    assumeTrue(Files.isReadable(status), "needs Linux /proc");
    long before = residentKiB(status);

    // When
    assertEquals(200, post("/fault/leak?mb=64").statusCode());

    // Then: every page was written, so the kernel backs it (allow for other churn)
    long grownMiB = (residentKiB(status) - before) / 1024;
    assertTrue(grownMiB >= 48, "RSS grew " + grownMiB + " MiB");
  }

  @Test
  void badValuesAreRejectedWithWhatIsExpected() throws Exception {
    assertBadRequest("/fault/slow?ms=abc", "ms must be an integer from 0 to 600000, was 'abc'");
    assertBadRequest("/fault/errors?rate=1.5", "rate must be a number from 0 to 1, was '1.5'");
    assertBadRequest("/fault/ready?on=maybe", "on must be true or false, was 'maybe'");
    assertBadRequest("/fault/leak", "mb is required: an integer from 1 to 4096");
    assertBadRequest("/fault/slow?millis=5", "unknown parameter [millis]; expected ms");
    assertBadRequest("/fault/crash?code=300", "code must be an integer from 0 to 255, was '300'");
    assertEquals(NO_FAULTS + "\n", get("/fault").body(), "nothing changed");
    assertEquals(List.of(), faultLog);
  }

  @Test
  void unknownPathsAndMethodsAreRejected() throws Exception {
    assertEquals(404, get("/nope").statusCode());
    assertEquals(404, post("/fault/explode").statusCode());
    HttpResponse<String> delete =
        CLIENT.send(request("/healthz").DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, delete.statusCode());
    assertEquals("GET", delete.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void crashAnswersThenExitsWithTheCode() throws Exception {
    // When
    HttpResponse<String> response = post("/fault/crash?code=3");

    // Then
    assertEquals(200, response.statusCode());
    assertEquals("crashing with exit code 3\n", response.body());
    assertEquals(3, exitCode.get(5, TimeUnit.SECONDS));
    assertEquals(List.of("fault: crash: exiting with code 3"), faultLog);
  }

  @Test
  void crashDefaultsToExitCodeOne() throws Exception {
    post("/fault/crash");

    assertEquals(1, exitCode.get(5, TimeUnit.SECONDS));
  }

  @Test
  void awaitShutdownReturnsOnceClosed() throws Exception {
    // Given
    CompletableFuture<Void> waiter = CompletableFuture.runAsync(backend::awaitShutdown);

    // When
    backend.close();

    // Then
    waiter.get(5, TimeUnit.SECONDS);
  }

  private void assertBadRequest(String path, String message) throws Exception {
    HttpResponse<String> response = post(path);
    assertEquals(400, response.statusCode(), path);
    assertEquals(message + "\n", response.body(), path);
  }

  private static long residentKiB(Path status) throws IOException {
    return Files.readAllLines(status).stream()
        .filter(line -> line.startsWith("VmRSS:"))
        .map(line -> line.replaceAll("[^0-9]", ""))
        .mapToLong(Long::parseLong)
        .findFirst()
        .orElseThrow();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path) throws Exception {
    return CLIENT.send(
        request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + path))
        .timeout(Duration.ofSeconds(10));
  }
}

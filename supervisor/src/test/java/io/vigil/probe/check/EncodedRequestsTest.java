package io.vigil.probe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vigil.probe.CheckSpec;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cache of encoded requests, and that every buffer it made is released. */
@Timeout(10)
class EncodedRequestsTest {
  private final EncodedRequests requests = new EncodedRequests();

  @AfterEach
  void release() {
    requests.clear();
  }

  @Test
  void everyCheckOfOneTargetGetsTheSameRequest() {
    // Given
    EncodedRequest first = requests.get(spec("/healthz"), "127.0.0.1", 8080);

    // When: an equal spec, as a reload that changed nothing would build
    EncodedRequest again = requests.get(spec("/healthz"), "127.0.0.1", 8080);

    // Then
    assertSame(first, again);
    assertEquals(1, first.refCnt());
    assertEquals(1, requests.size());
  }

  @Test
  void anotherPortPathOrHostIsAnotherRequest() {
    // Given
    EncodedRequest request = requests.get(spec("/healthz"), "127.0.0.1", 8080);

    // When / Then
    assertNotSame(request, requests.get(spec("/healthz"), "127.0.0.1", 8081));
    assertNotSame(request, requests.get(spec("/ready"), "127.0.0.1", 8080));
    assertNotSame(request, requests.get(spec("/healthz"), "::1", 8080));
    assertEquals(4, requests.size());
  }

  @Test
  void clearingReleasesEveryRequest() {
    // Given
    EncodedRequest first = requests.get(spec("/healthz"), "127.0.0.1", 8080);
    EncodedRequest second = requests.get(spec("/healthz"), "127.0.0.1", 8081);

    // When
    requests.clear();

    // Then
    assertEquals(0, first.refCnt());
    assertEquals(0, second.refCnt());
    assertEquals(0, requests.size());
  }

  @Test
  void pastItsBoundTheCacheStartsAgainAndReleasesWhatItHeld() {
    // Given: a full cache
    EncodedRequest oldest = requests.get(spec("/healthz"), "127.0.0.1", 1);
    for (int port = 2; port <= EncodedRequests.MAX_TARGETS; port++) {
      requests.get(spec("/healthz"), "127.0.0.1", port);
    }
    assertEquals(EncodedRequests.MAX_TARGETS, requests.size());

    // When
    EncodedRequest newest =
        requests.get(spec("/healthz"), "127.0.0.1", EncodedRequests.MAX_TARGETS + 1);

    // Then
    assertEquals(0, oldest.refCnt());
    assertEquals(1, newest.refCnt());
    assertEquals(1, requests.size());
  }

  @Test
  void closingTheProbeLoopReleasesTheRequestsOnTheLoop() throws Exception {
    // Given: as HttpCheck wires it, a request made on the loop
    ProbeLoop probeLoop = new ProbeLoop();
    EncodedRequests onLoop = new EncodedRequests();
    probeLoop.onClose(onLoop::clear);
    EncodedRequest request =
        probeLoop.loop().submit(() -> onLoop.get(spec("/healthz"), "127.0.0.1", 8080)).get();

    // When
    probeLoop.close();

    // Then
    assertEquals(0, request.refCnt());
  }

  private static CheckSpec.Http spec(String path) {
    return new CheckSpec.Http(path, OptionalInt.empty(), Map.of("X-Probe", "liveness"), true);
  }
}

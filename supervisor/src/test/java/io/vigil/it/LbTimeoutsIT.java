package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-try and request timeouts on the loops' shared timers (LoopTimer): each fires on time
 * while other requests on the same loops arm and cancel theirs, which moves the timer around.
 * Real sockets and time on 127.0.0.1, so the bounds are loose above and exact below.
 */
class LbTimeoutsIT {
  private static final long MS = 1_000_000L;
  private final LbFixture lb = new LbFixture();

  @AfterEach
  void close() throws Exception {
    lb.close();
  }

  /** Fast requests in a loop, on their own connections, until closed. */
  private ClosedLoopLoad churn(int clients) {
    return ClosedLoopLoad.started("churn", clients, n -> HttpRequest.newBuilder(lb.uri("/p/ok"))
        .timeout(Duration.ofSeconds(20)).build());
  }

  /**
   * Fast requests until 200 were answered, then forgotten (metrics too): the first requests
   * through a new load balancer, backend and client are slow (class loading, JIT, the leak
   * detector), and one of them could outlast the short timeouts the tests set. The measured
   * part starts warm; there, no fast request may fail.
   */
  private void warmUp() throws Exception {
    try (ClosedLoopLoad warm = churn(4)) {
      LbFixture.await(Duration.ofSeconds(30), "200 warm-up requests answered",
          () -> warm.ok() >= 200);
    }
    lb.forgetMetrics();
  }

  /** Four GETs of /hang, one after the other: each answered 504 within [minMs, maxMs). */
  private void assertHangingGetsGet504After(long minMs, long maxMs) throws Exception {
    for (int i = 0; i < 4; i++) {
      long start = System.nanoTime();
      HttpResponse<String> r = lb.get("/hang");
      long tookMs = (System.nanoTime() - start) / MS;
      assertEquals(504, r.statusCode());
      assertTrue(tookMs >= minMs && tookMs < maxMs, "504 after " + tookMs + " ms");
    }
  }

  @Test
  void theRequestTimeoutFiresOnTimeWhileOtherRequestsComeAndGo() throws Exception {
    // Given a 500 ms request timeout, two instances, and fast requests all the time
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.request = Duration.ofMillis(500);
    lb.start(spec);
    lb.endpoints(lb.backend(0).endpoint(), lb.backend(1).endpoint());
    warmUp();
    try (ClosedLoopLoad churn = churn(4)) {
      // When requests hang at their instance / Then each gets 504 after the request timeout:
      // not before, and not much later
      assertHangingGetsGet504After(500, 1500);
      assertTrue(churn.ok() > 20, "fast requests answered: " + churn.ok());
      assertEquals(List.of(), churn.failures());
    }
  }

  @Test
  void thePerTryTimeoutFiresOnTimeWhileOtherRequestsComeAndGo() throws Exception {
    // Given a 300 ms per-try and a 2 s request timeout, one instance, fast requests all the time
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.perTry = Optional.of(Duration.ofMillis(300));
    spec.request = Duration.ofSeconds(2);
    spec.consecutiveLocal = 0; // timeouts would eject the only instance
    lb.start(spec);
    lb.endpoints(lb.backend(0).endpoint());
    warmUp();
    try (ClosedLoopLoad churn = churn(4)) {
      // When GETs hang at the only instance / Then each try times out after 300 ms, no other
      // instance is left: 504, well before the 2 s request timeout
      assertHangingGetsGet504After(300, 1300);
      assertEquals(List.of(), churn.failures());
    }
    // Each hanging try ended by its per-try timeout (a retry was granted, but found no instance)
    List<String> retried = lb.metrics.stream().filter(m -> m.startsWith("retried")).toList();
    assertEquals(4, retried.size(), retried.toString());
    assertTrue(retried.stream().allMatch(m -> m.endsWith("after timeout")), retried.toString());
  }

  @Test
  void anIdleClientConnectionIsClosedAfterTheIdleTimeoutButNotWhileItTalks() throws Exception {
    // Given a 1 s idle timeout, and fast requests on other connections all the time
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.idle = Duration.ofSeconds(1);
    lb.start(spec);
    lb.endpoints(lb.backend(0).endpoint());
    try (ClosedLoopLoad churn = churn(2);
        RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      // When a client sends a request every 400 ms for 2 s, twice the idle timeout / Then it is
      // served throughout: only silence counts
      long lastAnswer = 0;
      for (int i = 0; i < 6; i++) {
        if (i > 0) {
          Thread.sleep(400);
        }
        assertEquals("" + i, client.send(RawHttp.get("/p/" + i)).read().body());
        lastAnswer = System.nanoTime();
      }

      // When it then stays silent / Then the load balancer closes it about 1 s after its last
      // answer (the timer started when the answer was written, a little before it was read)
      assertTrue(client.closedByServer());
      long tookMs = (System.nanoTime() - lastAnswer) / MS;
      assertTrue(tookMs >= 800 && tookMs < 4000, "closed " + tookMs + " ms after the last answer");
    }
  }
}

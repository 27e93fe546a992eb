package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.lb.Balance;
import io.vigil.lb.EndpointState;
import io.vigil.lb.RetryOn;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which instance gets a request: readiness, removal, drains, retries, ejection, limits. */
class LbRoutingIT {
  private final LbFixture lb = new LbFixture();

  @AfterEach
  void close() throws Exception {
    lb.close();
  }

  @Test
  void onlyReadyEndpointsGetTraffic() throws Exception {
    // Given two instances, only web/0 ready
    LbBackend a = lb.backend(0);
    LbBackend b = lb.backend(1);
    lb.start(new LbFixture.Spec());
    lb.endpoints(a.endpoint());

    // When 20 requests come / Then all go to web/0
    for (int i = 0; i < 20; i++) {
      assertEquals("web/0", lb.get("/").body());
    }
    assertEquals(0, b.requests.get());

    // When web/1 becomes ready too / Then both get some
    lb.endpoints(a.endpoint(), b.endpoint());
    for (int i = 0; i < 40; i++) {
      assertEquals(200, lb.get("/").statusCode());
    }
    assertTrue(b.requests.get() > 5, "web/1 got " + b.requests.get());
  }

  @Test
  void noReadyEndpointGetsTheFallback() throws Exception {
    // Given a load balancer with no ready instance
    lb.start(new LbFixture.Spec());

    // When a request comes / Then the configured fallback answers
    HttpResponse<String> r = lb.get("/");
    assertEquals(503, r.statusCode());
    assertEquals("{\"error\":\"no instance available\"}", r.body());
    assertEquals(Optional.of("application/json"), r.headers().firstValue("content-type"));
    LbFixture.await(Duration.ofSeconds(5), "metrics", () -> lb.metrics.equals(
        List.of("started web", "rejected web no-instance", "finished web - 503")));
  }

  @Test
  void anEndpointRemovedGetsNoNewRequests() throws Exception {
    LbBackend a = lb.backend(0);
    LbBackend b = lb.backend(1);
    lb.start(new LbFixture.Spec());
    lb.endpoints(a.endpoint(), b.endpoint());
    lb.get("/");

    // When web/0 leaves the list
    lb.endpoints(b.endpoint());
    int before = a.requests.get();

    // Then every later request goes to web/1
    for (int i = 0; i < 20; i++) {
      assertEquals("web/1", lb.get("/").body());
    }
    assertEquals(before, a.requests.get());
  }

  @Test
  void drainWaitsForTheRequestInFlight() throws Exception {
    // Given a slow web/0 with a request in flight
    LbBackend a = lb.backend(0);
    a.delayMs = 800;
    lb.start(new LbFixture.Spec());
    lb.endpoints(a.endpoint());
    CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
      try {
        return lb.get("/");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertTrue(a.arrived.await(5, TimeUnit.SECONDS));

    // When the supervisor takes it out of rotation and drains it
    lb.endpoints();
    CompletableFuture<Void> drained = lb.lbs.drain(a.id, Duration.ofSeconds(10));

    // Then the drain waits for the response, which the client gets whole
    assertFalse(drained.isDone());
    assertEquals(1, lb.lbs.state(LbFixture.SERVICE).get(0).inFlight());
    assertEquals("web/0", slow.get(5, TimeUnit.SECONDS).body());
    drained.get(5, TimeUnit.SECONDS);
    assertEquals(List.of(), lb.lbs.state(LbFixture.SERVICE));

    // And a drain with nothing in flight completes at once; one that waits too long times out
    assertTrue(lb.lbs.drain(a.id, Duration.ofSeconds(10)).isDone());
  }

  @Test
  void drainGivesUpAfterItsTimeout() throws Exception {
    LbBackend a = lb.backend(0);
    a.hang(true);
    lb.start(new LbFixture.Spec());
    lb.endpoints(a.endpoint());
    CompletableFuture.runAsync(() -> {
      try {
        lb.get("/");
      } catch (Exception expected) {
        // the hung request ends with the test
      }
    });
    assertTrue(a.arrived.await(5, TimeUnit.SECONDS));
    lb.endpoints();
    long start = System.nanoTime();
    lb.lbs.drain(a.id, Duration.ofMillis(300)).get(5, TimeUnit.SECONDS);
    assertTrue(System.nanoTime() - start >= 250_000_000L);
  }

  @Test
  void aRefusedConnectionIsRetriedOnTheOtherInstanceWithoutErrors() throws Exception {
    // Given web/0 refuses connections, web/1 is fine
    LbBackend b = lb.backend(1);
    lb.start(new LbFixture.Spec());
    lb.endpoints(LbFixture.refusing(0), b.endpoint());

    // When 30 GETs and 10 POSTs come / Then every one is answered by web/1
    lb.get("/");
    // (the metrics hear of the end once the response is written, maybe after the client read it)
    LbFixture.await(Duration.ofSeconds(5), "metrics", () -> lb.metrics.stream()
        .filter(m -> !m.startsWith("retried")).toList()
        .equals(List.of("started web", "finished web web/1 200")));
    for (int i = 0; i < 30; i++) {
      assertEquals("web/1", lb.get("/").body());
    }
    for (int i = 0; i < 10; i++) {
      assertEquals("web/1", lb.post("/", "x").body()); // never reached web/0: safe to retry
    }
    // And web/0's local failures ejected it (5 in a row)
    LbFixture.await(Duration.ofSeconds(5), "ejection", () -> lb.lbs.state(LbFixture.SERVICE)
        .stream().anyMatch(EndpointState::ejected));
    // (events and metrics are reported after the decision, maybe after the client's answer)
    LbFixture.await(Duration.ofSeconds(5), "the ejection event", () -> !lb.events.isEmpty(),
        () -> lb.events);
    assertTrue(lb.events.get(0).startsWith("ejected web/0: 5 consecutive local failures"),
        lb.events.toString());
    // And the metrics saw the retries, the ejection, and 41 requests answered by web/1
    LbFixture.await(Duration.ofSeconds(5), "the retries and the ejection in the metrics",
        () -> lb.metrics.contains("retried web/0: retry 1 of 2 after connect-failure")
            && lb.metrics.contains("outlier web/0 EJECTED"), () -> lb.metrics);
    LbFixture.await(Duration.ofSeconds(5), "41 requests in the metrics", () ->
        lb.metrics.stream().filter(m -> m.equals("finished web web/1 200")).count() == 41);
    assertEquals(41, lb.metrics.stream().filter(m -> m.equals("started web")).count());
  }

  @Test
  void perTryTimeoutRetriesAGetElsewhereButAnswers504ToAPost() throws Exception {
    // Given web/0 hangs, web/1 is fine, and a 300 ms per-try timeout
    LbBackend a = lb.backend(0);
    LbBackend b = lb.backend(1);
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.perTry = Optional.of(Duration.ofMillis(300));
    spec.consecutiveLocal = 0; // timeouts would eject web/0, and the POST would get the fallback
    spec.balance = Balance.ROUND_ROBIN; // two random choices could miss web/0 six times in a row
    lb.start(spec);
    lb.endpoints(a.endpoint(), b.endpoint());
    // (warm: a cold first answer of web/1 could outlast the 300 ms per try)
    lb.warmUp("/", 10);
    a.hang(true);
    int triedBefore = a.requests.get();

    // When GETs come / Then each is answered by web/1, the ones sent to web/0 after 300 ms
    for (int i = 0; i < 6; i++) {
      assertEquals("web/1", lb.get("/").body());
    }
    assertTrue(a.requests.get() > triedBefore, "web/0 was never tried");

    // When only web/0 is ready and a POST comes / Then it is not retried: 504
    lb.endpoints(a.endpoint());
    long start = System.nanoTime();
    HttpResponse<String> post = lb.post("/", "order");
    assertEquals(504, post.statusCode());
    assertTrue(System.nanoTime() - start < 3_000_000_000L);
  }

  @Test
  void theRequestTimeoutAnswers504() throws Exception {
    LbBackend a = lb.backend(0);
    a.hang(true);
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.request = Duration.ofMillis(400);
    lb.start(spec);
    lb.endpoints(a.endpoint());
    assertEquals(504, lb.get("/").statusCode());
  }

  @Test
  void a5xxBurstEjectsTheInstanceWhichReturnsAfterTheBaseTime() throws Exception {
    // Given web/0 answers 500, web/1 200; 3 in a row eject for 2 s; 5xx are not retried
    LbBackend a = lb.backend(0);
    LbBackend b = lb.backend(1);
    a.status = 500;
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.consecutive5xx = 3;
    spec.baseEjection = Duration.ofSeconds(2);
    lb.start(spec);
    lb.endpoints(a.endpoint(), b.endpoint());

    // When requests come until web/0 has answered 3 times
    List<Integer> statuses = new ArrayList<>();
    while (a.requests.get() < 3) {
      statuses.add(lb.get("/").statusCode());
    }
    // Then it is ejected, and the next 20 requests all go to web/1
    assertEquals(3, statuses.stream().filter(s -> s == 500).count());
    LbFixture.await(Duration.ofSeconds(5), "the ejection event", () -> !lb.events.isEmpty(),
        () -> lb.events);
    assertTrue(lb.events.get(0).startsWith("ejected web/0: 3 consecutive 5xx responses; "
        + "ejected for 2s"), lb.events.toString());
    for (int i = 0; i < 20; i++) {
      assertEquals(200, lb.get("/").statusCode());
    }
    assertEquals(3, a.requests.get());

    // When the base time has passed / Then it returns, without waiting for a request
    LbFixture.await(Duration.ofSeconds(8), "return", () -> lb.events.contains("returned web/0"));
    a.status = 200;
    LbFixture.await(Duration.ofSeconds(5), "traffic to web/0", () -> {
      try {
        lb.get("/");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return a.requests.get() > 3;
    });
  }

  @Test
  void theEjectionCapKeepsHalfTheInstancesInRotation() throws Exception {
    // Given both instances answer 500, at most 50 % ejected, not always one
    LbBackend a = lb.backend(0);
    LbBackend b = lb.backend(1);
    a.status = 500;
    b.status = 500;
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.consecutive5xx = 2;
    spec.alwaysEjectOne = false;
    lb.start(spec);
    lb.endpoints(a.endpoint(), b.endpoint());

    // When many requests fail
    for (int i = 0; i < 20; i++) {
      assertEquals(500, lb.get("/").statusCode());
    }
    // Then one instance is ejected, never both
    assertEquals(1, lb.lbs.state(LbFixture.SERVICE).stream().filter(EndpointState::ejected)
        .count());
    LbFixture.await(Duration.ofSeconds(5), "the ejection event", () -> !lb.events.isEmpty(),
        () -> lb.events);
    assertEquals(1, lb.events.size(), lb.events.toString());
  }

  @Test
  void aSlowInstanceGetsFewerRequestsWithLeastRequest() throws Exception {
    // Given web/0 takes 200 ms, web/1 answers at once
    LbBackend a = lb.backend(0);
    LbBackend b = lb.backend(1);
    a.delayMs = 200;
    lb.start(new LbFixture.Spec());
    lb.endpoints(a.endpoint(), b.endpoint());

    // When 8 clients send 5 requests each, concurrently
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      clients.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 5; i++) {
          try {
            assertEquals(200, lb.get("/").statusCode());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }));
    }
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    // Then the fast one took most of them
    assertTrue(b.requests.get() > 2 * a.requests.get(),
        "web/0 " + a.requests.get() + ", web/1 " + b.requests.get());
  }

  @Test
  void beyondMaxRequestsA503WithRetryAfterComesAtOnce() throws Exception {
    // Given one request allowed in flight, and one in flight to a hung instance
    LbBackend a = lb.backend(0);
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.maxRequests = 1;
    lb.start(spec);
    lb.endpoints(a.endpoint());
    // (warm, so that the answer below is timed on a warm path; then the metrics start afresh)
    lb.warmUp("/", 5);
    a.arrived = new CountDownLatch(1);
    a.hang(true);
    CompletableFuture.runAsync(() -> {
      try {
        lb.get("/");
      } catch (Exception expected) {
        // ends with the test
      }
    });
    assertTrue(a.arrived.await(5, TimeUnit.SECONDS));

    // When another comes / Then it gets 503 with Retry-After: 1, without waiting
    long start = System.nanoTime();
    HttpResponse<String> r = lb.get("/");
    assertEquals(503, r.statusCode());
    assertEquals(Optional.of("1"), r.headers().firstValue("retry-after"));
    assertTrue(System.nanoTime() - start < 1_000_000_000L);
    LbFixture.await(Duration.ofSeconds(5), "the rejection and the 503 in the metrics",
        () -> lb.metrics.contains("rejected web max-requests")
            && lb.metrics.contains("finished web - 503"), () -> lb.metrics);
  }

  @Test
  void fiveHundredsAreRetriedWhenRetryOnSaysSo() throws Exception {
    // Given web/0 answers 500 and retry-on includes 5xx
    LbBackend a = lb.backend(0);
    LbBackend b = lb.backend(1);
    a.status = 500;
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.retryOn = Set.of(RetryOn.SERVER_ERROR);
    spec.consecutive5xx = 0;
    spec.balance = Balance.ROUND_ROBIN; // web/0 is asked for sure, not by chance
    lb.start(spec);
    lb.endpoints(a.endpoint(), b.endpoint());

    // When GETs come / Then every one succeeds, though web/0 was asked too
    for (int i = 0; i < 10; i++) {
      assertEquals("web/1", lb.get("/").body());
    }
    assertTrue(a.requests.get() > 0);
  }
}

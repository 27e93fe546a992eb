package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.instance.InstanceId;
import io.vigil.lb.EndpointState;
import io.vigil.lb.netty.Endpoint;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 on both sides: streaming, keep-alive, pipelining, headers, bad clients. */
class LbHttpIT {
  private final LbFixture lb = new LbFixture();

  @AfterEach
  void close() throws Exception {
    lb.close();
  }

  private LbBackend oneBackend(LbFixture.Spec spec) throws Exception {
    LbBackend a = lb.backend(0);
    lb.start(spec);
    lb.endpoints(a.endpoint());
    return a;
  }

  @Test
  void chunkedRequestAndResponseBodiesOfSeveralMegabytesStreamThrough() throws Exception {
    // Given an instance that echoes the request body, chunked
    oneBackend(new LbFixture.Spec());
    byte[] body = new byte[6 * 1024 * 1024 + 123];
    new Random(42).nextBytes(body);

    // When 6 MB are POSTed chunked (a publisher of unknown length) through the load balancer
    HttpRequest request = HttpRequest.newBuilder(lb.uri("/echo"))
        .POST(HttpRequest.BodyPublishers.fromPublisher(chunks(body))).build();
    HttpResponse<byte[]> r = lb.client.send(request, HttpResponse.BodyHandlers.ofByteArray());

    // Then the same bytes come back
    assertEquals(200, r.statusCode());
    assertEquals(body.length, r.body().length);
    assertArrayEquals(sha256(body), sha256(r.body()));
  }

  @Test
  void theRequestTimeoutStartsWhenAStreamedBodyHasArrived() throws Exception {
    // Given a 500 ms request timeout
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.request = Duration.ofMillis(500);
    oneBackend(spec);

    // When a chunked upload takes about a second to arrive
    Flow.Publisher<java.nio.ByteBuffer> slow = subscriber -> {
      SubmissionPublisher<java.nio.ByteBuffer> publisher = new SubmissionPublisher<>();
      publisher.subscribe(subscriber);
      CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 5; i++) {
          publisher.submit(java.nio.ByteBuffer.wrap(("part" + i).getBytes(StandardCharsets.UTF_8)));
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        publisher.close();
      });
    };
    HttpResponse<String> r = lb.client.send(HttpRequest.newBuilder(lb.uri("/echo"))
        .POST(HttpRequest.BodyPublishers.fromPublisher(slow)).build(),
        HttpResponse.BodyHandlers.ofString());

    // Then it is not cut by the timeout: the clock starts at the end of the request
    assertEquals(200, r.statusCode());
    assertEquals("part0part1part2part3part4", r.body());
  }

  @Test
  void aLargeChunkedResponseStreams() throws Exception {
    oneBackend(new LbFixture.Spec());
    HttpResponse<InputStream> r = lb.client.send(HttpRequest.newBuilder(lb.uri("/big?mb=16"))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    long total = 0;
    try (InputStream in = r.body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
      }
    }
    assertEquals(16L * 1024 * 1024, total);
  }

  @Test
  void keepAliveConnectionsAreReusedOnBothSides() throws Exception {
    // Given one client connection
    LbBackend a = oneBackend(new LbFixture.Spec());
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      // When it sends 20 requests one after the other
      for (int i = 0; i < 20; i++) {
        RawHttp.Response r = client.send(RawHttp.get("/p/" + i)).read();
        assertEquals(String.valueOf(i), r.body());
        assertNull(r.header("connection"));
      }
    }
    // Then the instance saw them all on one pooled connection
    assertEquals(1, a.clientPorts.size(), a.clientPorts.toString());
  }

  @Test
  void connectionCloseFromTheClientIsHonouredAfterTheResponse() throws Exception {
    oneBackend(new LbFixture.Spec());
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      RawHttp.Response r = client.send(RawHttp.get("/p/bye", "Connection: close")).read();
      assertEquals("bye", r.body());
      assertEquals("close", r.header("connection"));
      assertTrue(client.closedByServer());
    }
  }

  @Test
  void http10ClientsGetAClosedConnectionUnlessTheyAskForKeepAlive() throws Exception {
    oneBackend(new LbFixture.Spec());
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      RawHttp.Response r = client.send("GET /p/old HTTP/1.0\r\n\r\n").read();
      assertEquals("old", r.body());
      assertTrue(client.closedByServer());
    }
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      client.send("GET /p/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      assertEquals("keep-alive", client.read().header("connection"));
      assertEquals("b", client.send("GET /p/b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
          .read().body());
    }
  }

  @Test
  void anHttp10ClientGetsAChunkedResponseUnframedWithACloseAtTheEnd() throws Exception {
    // Given an instance answering 1 MiB chunked
    oneBackend(new LbFixture.Spec());
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      // When an HTTP/1.0 client asks, even for keep-alive
      RawHttp.Response r = client.send("GET /big?mb=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
          .read();
      // Then it gets the bytes without chunks, ended by the close
      assertNull(r.header("transfer-encoding"));
      assertEquals("close", r.header("connection"));
      assertEquals(1024 * 1024, r.body().getBytes(StandardCharsets.ISO_8859_1).length);
    }
  }

  @Test
  void stopClosesTheListenerAndItsClientConnections() throws Exception {
    oneBackend(new LbFixture.Spec());
    int port = lb.lbs.port(LbFixture.SERVICE);
    try (RawHttp client = new RawHttp(port)) {
      assertEquals(200, client.send(RawHttp.get("/p/1")).read().status());
      lb.lbs.stop(LbFixture.SERVICE);
      assertTrue(client.closedByServer());
    }
    assertEquals(List.of(), lb.lbs.state(LbFixture.SERVICE));
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    // Given three requests sent at once, the first one slow
    oneBackend(new LbFixture.Spec());
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      client.send(RawHttp.get("/slow/1") + RawHttp.get("/p/2") + RawHttp.get("/p/3"));

      // Then the answers come in the order asked
      assertEquals("1", client.read().body());
      assertEquals("2", client.read().body());
      assertEquals("3", client.read().body());
    }
  }

  @Test
  void headRequestsAndEmptyBodiesKeepTheFraming() throws Exception {
    oneBackend(new LbFixture.Spec());
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      RawHttp.Response head = client.send("HEAD /p/x HTTP/1.1\r\nHost: t\r\n\r\n").readHead();
      assertEquals(200, head.status());
      assertEquals("", head.body());
      client.send("POST /p/y HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
      assertEquals("y", client.read().body());
    }
  }

  @Test
  void hopByHopHeadersAreDroppedAndForwardedHeadersAdded() throws Exception {
    LbBackend a = oneBackend(new LbFixture.Spec());
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      client.send(RawHttp.get("/headers", "Connection: keep-alive, X-Hop", "X-Hop: 1",
          "Keep-Alive: timeout=5", "Proxy-Connection: keep-alive", "TE: trailers",
          "Upgrade: websocket", "X-Forwarded-For: 10.1.2.3", "X-End-To-End: kept"));
      assertEquals(200, client.read().status());
    }
    assertEquals("10.1.2.3, 127.0.0.1", a.lastHeaders.get("x-forwarded-for"));
    assertEquals("http", a.lastHeaders.get("x-forwarded-proto"));
    assertEquals("kept", a.lastHeaders.get("x-end-to-end"));
    for (String hop : List.of("x-hop", "keep-alive", "proxy-connection", "te", "upgrade")) {
      assertFalse(a.lastHeaders.containsKey(hop), hop + " was forwarded: " + a.lastHeaders);
    }
  }

  @Test
  void aMalformedRequestIsAnswered400AndClosed() throws Exception {
    oneBackend(new LbFixture.Spec());
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      assertEquals(400, client.send("THIS IS NOT HTTP\r\n\r\n").read().status());
      assertTrue(client.closedByServer());
    }
  }

  @Test
  void hugeHeadersGet431AndAHugeUri414() throws Exception {
    oneBackend(new LbFixture.Spec());
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      RawHttp.Response r = client.send(RawHttp.get("/", "X-Big: " + "a".repeat(20_000))).read();
      assertEquals(431, r.status());
      assertTrue(client.closedByServer());
    }
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      assertEquals(414, client.send(RawHttp.get("/" + "u".repeat(10_000))).read().status());
    }
  }

  @Test
  void anIncompleteHeadIsClosedAfterTheHeaderTimeout() throws Exception {
    // Given a 300 ms header timeout
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.header = Duration.ofMillis(300);
    oneBackend(spec);
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      // When a client starts a head and stops (slowloris)
      long start = System.nanoTime();
      client.send("GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ");

      // Then the connection is closed after about 300 ms
      assertTrue(client.closedByServer());
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms >= 250 && ms < 5_000, ms + " ms");
    }
  }

  @Test
  void anIdleKeepAliveConnectionLivesPastTheHeaderTimeout() throws Exception {
    // Given a 200 ms header timeout and a 60 s idle timeout
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.header = Duration.ofMillis(200);
    oneBackend(spec);
    try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      assertEquals("1", client.send(RawHttp.get("/p/1")).read().body());
      // When it waits longer than the header timeout between requests (no head started)
      Thread.sleep(500);
      // Then the connection still works
      assertEquals("2", client.send(RawHttp.get("/p/2")).read().body());
    }
  }

  @Test
  void beyondMaxConnectionsTheFirstRequestGets503AndTheConnectionCloses() throws Exception {
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.maxConnections = 1;
    oneBackend(spec);
    try (RawHttp first = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
      // Given one connection open (answered, so it surely holds the one slot)
      assertEquals(200, first.send(RawHttp.get("/p/1")).read().status());
      try (RawHttp second = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
        // When a second connection sends a request / Then 503, Retry-After, closed
        RawHttp.Response r = second.send(RawHttp.get("/p/2")).read();
        assertEquals(503, r.status());
        assertEquals("1", r.header("retry-after"));
        assertTrue(second.closedByServer());
      }
      // And the first one goes on
      assertEquals(200, first.send(RawHttp.get("/p/3")).read().status());
    }
  }

  @Test
  void aResetInTheMiddleOfTheResponseClosesTheClientConnection() throws Exception {
    // Given an instance that sends half a response and resets the connection
    try (ServerSocket server = new ServerSocket(0)) {
      CompletableFuture<Void> instance = CompletableFuture.runAsync(() -> {
        try (Socket s = server.accept()) {
          s.getInputStream().read(new byte[4096]);
          OutputStream out = s.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000))
              .getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          Thread.sleep(100);
          s.setSoLinger(true, 0); // RST
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      lb.start(new LbFixture.Spec());
      lb.endpoints(new Endpoint(new InstanceId(LbFixture.SERVICE, 0), "127.0.0.1",
          server.getLocalPort()));

      // When a client asks
      try (RawHttp client = new RawHttp(lb.lbs.port(LbFixture.SERVICE))) {
        client.send(RawHttp.get("/"));
        // Then it gets the head and part of the body, then the connection closes: the load
        // balancer cannot retry bytes it already sent
        byte[] all = client.socketBytesUntilClosed();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("HTTP/1.1 200 OK"), text);
        assertTrue(all.length < 100_000, "got " + all.length);
      }
      instance.join();
      // And the failure was counted against the instance
      LbFixture.await(Duration.ofSeconds(5), "local failure recorded", () ->
          lb.lbs.state(LbFixture.SERVICE).stream()
              .mapToInt(EndpointState::consecutiveLocalFailures).sum() == 1);
    }
  }

  private static Flow.Publisher<java.nio.ByteBuffer> chunks(byte[] body) {
    return subscriber -> {
      SubmissionPublisher<java.nio.ByteBuffer> publisher = new SubmissionPublisher<>();
      publisher.subscribe(subscriber);
      CompletableFuture.runAsync(() -> {
        for (int i = 0; i < body.length; i += 50_000) {
          publisher.submit(java.nio.ByteBuffer.wrap(body, i, Math.min(50_000, body.length - i)));
        }
        publisher.close();
      });
    };
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}

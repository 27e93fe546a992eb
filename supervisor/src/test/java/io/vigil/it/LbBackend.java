package io.vigil.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.instance.InstanceId;
import io.vigil.lb.netty.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An instance for load balancer tests, in the test JVM: answers its name, and does what the
 * test sets: a status, a delay, a hang. Paths: {@code /echo} streams the request body back
 * (chunked), {@code /headers} lists the request's headers, {@code /big?mb=N} sends N MiB chunked,
 * {@code /p/X} answers X, {@code /slow/X} answers X after 300 ms, {@code /hang} never answers, anything else answers the name. Counts requests and the client connections they came on.
 */
final class LbBackend implements AutoCloseable {
  final String name;
  final InstanceId id;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
  volatile int status = 200;
  volatile long delayMs;
  volatile CountDownLatch arrived = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean hang;
  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  LbBackend(InstanceId id) throws IOException {
    this.id = id;
    this.name = id.toString();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  Endpoint endpoint() {
    return new Endpoint(id, "127.0.0.1", port());
  }

  void hang(boolean on) {
    hang = on;
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    inFlight.incrementAndGet();
    clientPorts.add(exchange.getRemoteAddress().getPort());
    try {
      lastHeaders.clear();
      exchange.getRequestHeaders().forEach((k, v) -> lastHeaders.put(k.toLowerCase(), v.get(0)));
      arrived.countDown();
      String path = exchange.getRequestURI().getPath();
      if (hang) {
        released.await(30, TimeUnit.SECONDS);
        return;
      }
      if (delayMs > 0) {
        Thread.sleep(delayMs);
      }
      switch (path) {
        case "/echo" -> echo(exchange);
        case "/headers" -> reply(exchange, status, String.join("\n",
            lastHeaders.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).sorted()
                .toList()));
        case "/big" -> big(exchange);
        default -> {
          if (path.equals("/hang")) {
            released.await(30, TimeUnit.SECONDS); // this request only; the test's end frees it
            return;
          }
          if (path.startsWith("/slow/")) {
            Thread.sleep(300);
            reply(exchange, status, path.substring("/slow/".length()));
            return;
          }
          if (path.startsWith("/p/")) {
            reply(exchange, status, path.substring("/p/".length()));
            return;
          }
          exchange.getRequestBody().readAllBytes();
          reply(exchange, status, name);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
      exchange.close();
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void echo(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, 0); // chunked
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
    }
  }

  private static void big(HttpExchange exchange) throws IOException {
    int mb = Integer.parseInt(exchange.getRequestURI().getQuery().replace("mb=", ""));
    exchange.sendResponseHeaders(200, 0);
    byte[] chunk = new byte[64 * 1024];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) i;
    }
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 0; i < mb * 16; i++) {
        out.write(chunk);
      }
    }
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    pool.shutdownNow();
  }
}

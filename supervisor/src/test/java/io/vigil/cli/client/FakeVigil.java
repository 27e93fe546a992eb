package io.vigil.cli.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Vigil's API on 127.0.0.1 and a free port, owned by one test: canned replies per
 * {@code "METHOD /path?query"}, served in order with the last one repeating, and every request
 * recorded. A request with no reply gets a 404 problem naming it, so a wrong URL shows in the
 * command's output.
 */
final class FakeVigil implements AutoCloseable {
  record Request(String method, String uri, String authorization, String accept) {}

  /** A canned answer; with {@code holdOpen}, the body is sent and the connection kept open. */
  record Reply(int status, String contentType, String body, boolean holdOpen) {
    Reply(int status, String contentType, String body) {
      this(status, contentType, body, false);
    }
  }

  static final String JSON = "application/json";
  static final String PROBLEM = "application/problem+json";

  private final HttpServer server;
  private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final CountDownLatch closing = new CountDownLatch(1);

  private FakeVigil(HttpServer server) {
    this.server = server;
  }

  static FakeVigil start() throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeVigil fake = new FakeVigil(server);
    server.createContext("/", fake::handle);
    server.setExecutor(fake.handlers); // a held-open stream must not block other requests
    server.start();
    return fake;
  }

  /** Replies to {@code request} ("GET /v1/services") in turn; the last one then repeats. */
  FakeVigil on(String request, Reply... inTurn) {
    replies.put(request, new ArrayDeque<>(List.of(inTurn)));
    return this;
  }

  static Reply json(int status, String body) {
    return new Reply(status, JSON, body);
  }

  static Reply text(String body) {
    return new Reply(200, "text/plain; charset=utf-8", body);
  }

  static Reply problem(int status, String title, String detail) {
    return new Reply(status, PROBLEM, "{\"type\":\"about:blank\",\"title\":\"" + title
        + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests as "METHOD /path?query", in order. */
  List<String> requestLines() {
    return requests.stream().map(r -> r.method() + " " + r.uri()).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String key = exchange.getRequestMethod() + " " + exchange.getRequestURI();
    requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
        exchange.getRequestHeaders().getFirst("Authorization"),
        exchange.getRequestHeaders().getFirst("Accept")));
    Reply reply = next(key);
    exchange.getRequestBody().readAllBytes();
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    if (reply.status() == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
    }
    if (reply.holdOpen()) {
      exchange.sendResponseHeaders(reply.status(), 0);
      OutputStream out = exchange.getResponseBody();
      out.write(body);
      out.flush();
      awaitClosing();
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private void awaitClosing() {
    try {
      closing.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Reply next(String key) {
    Deque<Reply> queue = replies.get(key);
    if (queue == null) {
      return problem(404, "Not Found", "fake: no reply for " + key);
    }
    synchronized (queue) {
      return queue.size() > 1 ? queue.poll() : queue.peek();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }
}

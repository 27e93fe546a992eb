package io.vigil.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;

/**
 * The demo's endpoints: the service ({@code /}, by GET or POST; {@code /healthz}, {@code
 * /readyz}) and fault injection under {@code /fault}. Runs on the server's pool threads; a hung or
 * slow request holds its thread, which is the point of the fault, while the other threads keep
 * serving.
 */
final class Routes implements HttpHandler {
  private static final System.Logger LOG = System.getLogger(Routes.class.getName());
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";
  private static final String FAULT_PREFIX = "/fault/";

  private final Faults faults;
  private final String greeting;
  private final IntConsumer exiter;
  private final CountDownLatch released;

  /**
   * @param exiter ends the process with the given code (Runtime.halt outside tests)
   * @param released counted down when the backend closes; hung requests wait for it
   */
  Routes(Faults faults, String greeting, IntConsumer exiter, CountDownLatch released) {
    this.faults = faults;
    this.greeting = greeting;
    this.exiter = exiter;
    this.released = released;
  }

  @Override
  public void handle(HttpExchange exchange) {
    try {
      route(exchange);
    } catch (RequestError e) {
      replyQuietly(exchange, e.status(), e.allow(), e.getMessage());
    } catch (RetainedMemory.LimitReached e) {
      replyQuietly(exchange, 507, null, e.getMessage());
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "client went away: {0}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "demo backend failed on " + exchange.getRequestURI(), e);
      replyQuietly(exchange, 500, null, "internal error: " + e);
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    if (faults.state().hung()) {
      awaitRelease();
      return;
    }
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/fault")) {
      requireMethod(exchange, "GET");
      query(exchange).allowOnly();
      reply(exchange, 200, JSON, faults.json());
    } else if (path.startsWith(FAULT_PREFIX)) {
      // GET as well as POST, so that faults can be injected from a browser or plain curl.
      requireMethod(exchange, "GET, POST");
      fault(exchange, path.substring(FAULT_PREFIX.length()), query(exchange));
    } else {
      // POST / stands for a non-idempotent request (the chaos test counts what it loses).
      requireMethod(exchange, path.equals("/") ? "GET, POST" : "GET");
      // Fault endpoints are exempt from the delay, so that slow?ms=0 takes effect at once.
      if (pause(faults.state().slowMs())) {
        service(exchange, path);
      }
    }
  }

  private void service(HttpExchange exchange, String path) throws IOException {
    switch (path) {
      case "/" -> hello(exchange);
      case "/healthz" -> reply(exchange, 200, TEXT, "ok");
      case "/readyz" -> {
        boolean ready = faults.state().ready();
        reply(exchange, ready ? 200 : 503, TEXT, ready ? "ready" : "not ready");
      }
      default -> throw RequestError.notFound(path);
    }
  }

  private void hello(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes(); // a POST's body: read, then answered like a GET
    double rate = faults.state().errorRate();
    if (rate > 0 && ThreadLocalRandom.current().nextDouble() < rate) {
      reply(exchange, 500, TEXT, "injected error");
    } else {
      reply(exchange, 200, TEXT, greeting);
    }
  }

  private void fault(HttpExchange exchange, String name, Query query) throws IOException {
    switch (name) {
      case "crash" -> crash(exchange, query.allowOnly("code").intParam("code", 1, 0, 255));
      case "hang" -> {
        query.allowOnly();
        faults.hang();
      }
      case "slow" -> faults.slow(query.allowOnly("ms").intParam("ms", null, 0, 600_000));
      case "errors" -> faults.errors(query.allowOnly("rate").fraction("rate"));
      case "ready" -> faults.ready(query.allowOnly("on").bool("on"));
      case "leak" -> faults.leak(query.allowOnly("mb").intParam("mb", null, 1, 4096));
      case "reset" -> {
        query.allowOnly();
        faults.reset();
      }
      default -> throw RequestError.notFound(FAULT_PREFIX + name);
    }
    reply(exchange, 200, JSON, faults.json());
  }

  private void crash(HttpExchange exchange, int code) throws IOException {
    faults.crash(code);
    // Answer first and close, so the caller sees the crash was accepted, then end the process.
    reply(exchange, 200, TEXT, "crashing with exit code " + code);
    exchange.close();
    exiter.accept(code);
  }

  /** Sleeps {@code ms}; false when interrupted (the backend is closing): answer nothing then. */
  private static boolean pause(int ms) {
    if (ms <= 0) {
      return true;
    }
    try {
      Thread.sleep(ms);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Blocks without spinning until the backend closes; the exchange is then dropped unanswered. */
  private void awaitRelease() {
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Query query(HttpExchange exchange) {
    return Query.parse(exchange.getRequestURI().getRawQuery());
  }

  private static void requireMethod(HttpExchange exchange, String allow) {
    if (!List.of(allow.split(", ")).contains(exchange.getRequestMethod())) {
      throw RequestError.methodNotAllowed(exchange.getRequestMethod(), allow);
    }
  }

  private static void replyQuietly(HttpExchange exchange, int status, String allow, String body) {
    try {
      if (allow != null) {
        exchange.getResponseHeaders().set("Allow", allow);
      }
      reply(exchange, status, TEXT, body);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "client went away: {0}", e.getMessage());
    }
  }

  private static void reply(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}

package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link OnFirstRequest} behind a real Grizzly listener on 127.0.0.1. */
class OnFirstRequestTest {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.shutdownNow();
    }
  }

  private int serve(HttpHandler handler) throws Exception {
    server = new HttpServer();
    server.addListener(new NetworkListener("test", "127.0.0.1", 0));
    server.getServerConfiguration().addHttpHandler(handler);
    server.start();
    return server.getListener("test").getPort();
  }

  private HttpResponse<String> get(int port) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Answers "ok"; counts its starts and destroys. */
  private static final class Answering extends HttpHandler {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger destroys = new AtomicInteger();
    final boolean failToStart;

    Answering(boolean failToStart) {
      this.failToStart = failToStart;
    }

    @Override
    public void start() {
      starts.incrementAndGet();
      if (failToStart) {
        throw new IllegalStateException("cannot start");
      }
    }

    @Override
    public void destroy() {
      destroys.incrementAndGet();
    }

    @Override
    public void service(Request request, Response response) throws Exception {
      response.getWriter().write("ok");
    }
  }

  @Test
  void buildsOnTheFirstRequestOnlyAndStartsWhatItBuilt() throws Exception {
    List<Answering> built = new ArrayList<>();
    Supplier<HttpHandler> build = () -> {
      Answering a = new Answering(false);
      built.add(a);
      return a;
    };
    int port = serve(new OnFirstRequest(build));
    assertEquals(List.of(), built);

    assertEquals("ok", get(port).body());
    assertEquals("ok", get(port).body());

    assertEquals(1, built.size());
    assertEquals(1, built.get(0).starts.get());
    server.shutdownNow(); // destroys the handlers
    server = null;
    assertEquals(1, built.get(0).destroys.get());
  }

  @Test
  void aFailedBuildIsA500ProblemAndTheNextRequestTriesAgain() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    int port = serve(new OnFirstRequest(() -> {
      if (attempts.incrementAndGet() == 1) {
        throw new NoClassDefFoundError("org/glassfish/jersey/Missing");
      }
      return new Answering(false);
    }));

    HttpResponse<String> failed = get(port);
    assertEquals(500, failed.statusCode());
    assertEquals("application/problem+json;charset=utf-8",
        failed.headers().firstValue("Content-Type").orElse(""));
    assertEquals("{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500,"
        + "\"detail\":\"internal error in Vigil\"}", failed.body());
    assertTrue(!failed.body().contains("Missing"), "no internals in the answer");

    assertEquals("ok", get(port).body());
    assertEquals(2, attempts.get());
  }

  @Test
  void aHandlerThatFailsToStartIsDestroyed() throws Exception {
    Answering broken = new Answering(true);
    int port = serve(new OnFirstRequest(() -> broken));

    assertEquals(500, get(port).statusCode());

    assertEquals(1, broken.starts.get());
    assertEquals(1, broken.destroys.get());
  }

  @Test
  void afterDestroyNothingIsBuiltAndRequestsGet503() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    OnFirstRequest api = new OnFirstRequest(() -> {
      attempts.incrementAndGet();
      return new Answering(false);
    });
    int port = serve(api);

    api.destroy();

    HttpResponse<String> refused = get(port);
    assertEquals(503, refused.statusCode());
    assertTrue(refused.body().contains("\"detail\":\"Vigil is stopping\""), refused.body());
    assertEquals(0, attempts.get());
  }
}

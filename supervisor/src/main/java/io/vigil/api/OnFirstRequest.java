package io.vigil.api;

import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Binds the API's address at start-up but builds the handler behind it (Jersey's application)
 * only when the first request arrives, so that a Vigil whose API is never called never loads
 * Jersey. That first request waits for the build (under a second on a warm machine); every
 * later one goes straight through.
 */
final class OnFirstRequest extends HttpHandler {
  private final BuiltOnce<HttpHandler> handler;

  OnFirstRequest(Supplier<HttpHandler> build) {
    super("vigil-api");
    this.handler = new BuiltOnce<>(() -> {
      HttpHandler built = build.get();
      built.start();
      return built;
    });
  }

  @Override
  public void service(Request request, Response response) throws Exception {
    handler.get().service(request, response);
  }

  @Override
  public void destroy() {
    handler.ifBuilt().ifPresent(HttpHandler::destroy);
  }
}

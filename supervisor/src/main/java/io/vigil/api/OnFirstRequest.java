package io.vigil.api;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ServiceConfigurationError;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Binds the API's address at start-up but builds the handler behind it (Jersey's application)
 * only when the first request arrives, so that a Vigil whose API is never called never loads
 * Jersey. That first request waits for the build (under a second on a warm machine); every
 * later one goes straight through.
 *
 * <p>A build that fails (a bug, or a jar missing part of Jersey) is logged and answered with a
 * 500 problem written here, without the libraries that failed; the next request tries again.
 * Once {@link #destroy}ed (Vigil stopping), requests that would build get a 503.
 */
final class OnFirstRequest extends HttpHandler {
  private static final Logger LOG = System.getLogger(OnFirstRequest.class.getName());

  private final BuiltOnce<HttpHandler> handler;

  OnFirstRequest(Supplier<HttpHandler> build) {
    super("vigil-api");
    this.handler = new BuiltOnce<>(() -> started(build.get()));
  }

  private static HttpHandler started(HttpHandler built) {
    try {
      built.start();
      return built;
    } catch (RuntimeException | LinkageError | ServiceConfigurationError e) {
      built.destroy();
      throw e;
    }
  }

  @Override
  public void service(Request request, Response response) throws Exception {
    HttpHandler api;
    try {
      api = handler.get();
    } catch (BuiltOnce.Closed stopping) {
      problem(response, 503, "Service Unavailable", "Vigil is stopping");
      return;
    } catch (RuntimeException | LinkageError | ServiceConfigurationError e) {
      LOG.log(Level.ERROR, "bug: the status API could not be built; answering 500", e);
      problem(response, 500, "Internal Server Error", "internal error in Vigil");
      return;
    }
    api.service(request, response);
  }

  /** A problem body written by hand: the JSON library may be what failed to load. */
  private static void problem(Response response, int status, String title, String detail)
      throws IOException {
    response.setStatus(status);
    response.setContentType(ProblemResponse.TYPE + ";charset=utf-8");
    response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title
        + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
  }

  @Override
  public void destroy() {
    handler.close(HttpHandler::destroy);
  }
}

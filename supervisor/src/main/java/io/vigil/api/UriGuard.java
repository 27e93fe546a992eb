package io.vigil.api;

import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;

/**
 * Sits in front of Jersey's Grizzly container: a request URI that {@link java.net.URI} cannot
 * parse (a stray {@code %} in the path or query) makes the container throw before Jersey sees the
 * request, which Grizzly would answer with a 500. That is the client's mistake, so this answers
 * 400 with a problem instead.
 */
final class UriGuard extends HttpHandler {
  private final GrizzlyHttpContainer jersey;
  private final ApiJson json;

  UriGuard(GrizzlyHttpContainer jersey, ApiJson json) {
    super("vigil-api");
    this.jersey = jersey;
    this.json = json;
  }

  @Override
  public void start() {
    jersey.start();
  }

  @Override
  public void destroy() {
    jersey.destroy();
  }

  @Override
  public void service(Request request, Response response) throws Exception {
    try {
      jersey.service(request, response);
    } catch (IllegalArgumentException e) {
      // Jersey handles everything after building the request URI itself (ProblemMapper), so an
      // exception escaping here is from parsing the URI; the response is still untouched.
      if (response.isCommitted()) {
        throw e;
      }
      response.setStatus(400);
      response.setContentType(ProblemResponse.TYPE + ";charset=utf-8");
      response.getWriter().write(json.write(
          ProblemResponse.body(400, "malformed request URI", null)));
    }
  }
}

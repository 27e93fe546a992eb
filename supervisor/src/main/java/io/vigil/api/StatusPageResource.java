package io.vigil.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/**
 * The status page: plain HTML, CSS and JavaScript from the jar, no build step and nothing
 * fetched from elsewhere (the Content-Security-Policy enforces that). The page reads the same
 * API as everyone else.
 */
@Path("/")
public final class StatusPageResource {
  /** Only this origin; scripts and styles from files, never inline; no framing. */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";

  private final byte[] html = StaticFile.load("status/index.html");
  private final byte[] script = StaticFile.load("status/app.js");
  private final byte[] style = StaticFile.load("status/style.css");

  @GET
  @Produces("text/html; charset=utf-8")
  public Response root() {
    return page(html);
  }

  @GET
  @Path("index.html")
  @Produces("text/html; charset=utf-8")
  public Response index() {
    return page(html);
  }

  @GET
  @Path("app.js")
  @Produces("text/javascript; charset=utf-8")
  public Response script() {
    return asset(script).build();
  }

  @GET
  @Path("style.css")
  @Produces("text/css; charset=utf-8")
  public Response style() {
    return asset(style).build();
  }

  private static Response page(byte[] body) {
    return asset(body).header("Content-Security-Policy", CSP)
        .header("Referrer-Policy", "no-referrer").header("X-Frame-Options", "DENY").build();
  }

  private static Response.ResponseBuilder asset(byte[] body) {
    // Revalidate every time: after an upgrade of Vigil the page and its script must match.
    return Response.ok(body).header("Cache-Control", "no-cache");
  }
}

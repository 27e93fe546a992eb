package io.vigil.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Turns every exception into a problem response, so no stack trace ever reaches a client. Refused
 * requests ({@link ProblemException}, Jersey's own 404/405/406/415) keep their status with a
 * readable detail; anything else is a bug in Vigil: logged here with its stack trace, answered
 * with a 500 and a generic detail.
 */
final class ProblemMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = System.getLogger(ProblemMapper.class.getName());

  @Context private UriInfo uri;
  @Context private Request request;
  @Context private HttpHeaders headers;

  @Override
  public Response toResponse(Throwable e) {
    if (e instanceof ProblemException problem) {
      return ProblemResponse.of(problem);
    }
    if (e instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
      return fromJersey(web.getResponse());
    }
    LOG.log(Level.ERROR, "bug: " + request.getMethod() + " /" + uri.getPath() + " failed", e);
    return ProblemResponse.of(500, "internal error in Vigil; the details are in Vigil's log");
  }

  /** Jersey's own refusals carry no body; keep their status and headers (Allow for 405). */
  private Response fromJersey(Response original) {
    int status = original.getStatus();
    Response.ResponseBuilder b = ProblemResponse.builder(status, detail(original), null);
    original.getStringHeaders().forEach((name, values) -> {
      if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)
          && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
        values.forEach(v -> b.header(name, v));
      }
    });
    return b.build();
  }

  private String detail(Response original) {
    String path = "/" + uri.getPath();
    return switch (original.getStatus()) {
      case 404 -> "no such resource: " + path;
      case 405 -> request.getMethod() + " is not allowed on " + path + "; allowed: "
          + String.join(", ", original.getAllowedMethods());
      case 406 -> "cannot answer " + path + " in any of the accepted media types";
      case 415 -> "unsupported content type " + headers.getMediaType() + " for " + path;
      default -> ProblemResponse.title(original.getStatus());
    };
  }
}

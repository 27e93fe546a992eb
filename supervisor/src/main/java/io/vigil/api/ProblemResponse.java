package io.vigil.api;

import io.vigil.api.json.ProblemJson;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Builds {@code application/problem+json} responses (RFC 9457) with {@code type about:blank}. */
final class ProblemResponse {
  static final String TYPE = "application/problem+json";
  static final MediaType MEDIA_TYPE = MediaType.valueOf(TYPE);

  private ProblemResponse() {}

  static Response.ResponseBuilder builder(int status, String detail, List<String> errors) {
    return Response.status(status).type(MEDIA_TYPE).entity(body(status, detail, errors));
  }

  static Response of(int status, String detail) {
    return builder(status, detail, null).build();
  }

  static Response of(ProblemException e) {
    return builder(e.status(), e.getMessage(), e.errors()).build();
  }

  /** With the title as detail when there is none (an exception without a message). */
  static ProblemJson body(int status, String detail, List<String> errors) {
    String title = title(status);
    return new ProblemJson("about:blank", title, status, detail != null ? detail : title, errors);
  }

  /** The standard reason phrase, as RFC 9457 wants for {@code about:blank}. */
  static String title(int status) {
    Response.Status known = Response.Status.fromStatusCode(status);
    return known != null ? known.getReasonPhrase() : status >= 500 ? "Server Error" : "Error";
  }
}

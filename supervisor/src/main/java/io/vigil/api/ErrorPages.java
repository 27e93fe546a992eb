package io.vigil.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.Request;

/**
 * Grizzly's own error answers (a request it cannot parse, a shutdown in progress), as problem
 * JSON like the rest of the API. Grizzly's default page shows the exception and its stack
 * trace; this one never does.
 */
final class ErrorPages implements ErrorPageGenerator {
  /** Built on first use: most Vigils never see a Grizzly error, and Jackson is big. */
  private final Supplier<JsonMapper> json;

  ErrorPages(Supplier<JsonMapper> json) {
    this.json = json;
  }

  @Override
  public String generate(Request request, int status, String reasonPhrase, String description,
      Throwable exception) {
    request.getResponse().setContentType(ProblemResponse.TYPE + ";charset=utf-8");
    String detail = status >= 500 && status != 503 ? "internal error in Vigil" : reasonPhrase;
    try {
      return json.get().mapper().writeValueAsString(ProblemResponse.body(status, detail, null));
    } catch (JsonProcessingException e) {
      return "{\"status\":" + status + "}";
    }
  }
}

package io.vigil.api;

import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.Request;

/**
 * Grizzly's own error answers (a request it cannot parse, a shutdown in progress), as problem
 * JSON like the rest of the API. Grizzly's default page shows the exception and its stack
 * trace; this one never does.
 */
final class ErrorPages implements ErrorPageGenerator {
  /** Built on first use: most Vigils never see a Grizzly error. */
  private final Supplier<ApiJson> json;

  ErrorPages(Supplier<ApiJson> json) {
    this.json = json;
  }

  @Override
  public String generate(Request request, int status, String reasonPhrase, String description,
      Throwable exception) {
    request.getResponse().setContentType(ProblemResponse.TYPE + ";charset=utf-8");
    String detail = status >= 500 && status != 503 ? "internal error in Vigil" : reasonPhrase;
    return json.get().write(ProblemResponse.body(status, detail, null));
  }
}

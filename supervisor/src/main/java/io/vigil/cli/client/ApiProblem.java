package io.vigil.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Vigil answered, and said no: an HTTP error status with its problem+json (RFC 9457) {@code
 * detail}, or an answer the client cannot read. Commands print {@link #getMessage()} as one line
 * and exit 1.
 */
final class ApiProblem extends Exception {
  static final String UNAUTHORIZED_HINT =
      "give the API token with --token-file FILE or $VIGIL_TOKEN";

  private final int status;
  private final String detail;
  private final List<String> errors;

  ApiProblem(int status, String detail, List<String> errors) {
    super(message(status, detail));
    this.status = status;
    this.detail = detail;
    this.errors = List.copyOf(errors);
  }

  /** An error response: {@code detail} of a problem document, else its title, else the text. */
  static ApiProblem of(int status, String contentType, String body, JSON json) {
    if (contentType.contains("json")) {
      try {
        Map<String, Object> problem = json.mapFrom(body);
        if (problem != null) { // null: the body was the JSON literal null
          String detail = text(problem, "detail", text(problem, "title", reason(status)));
          return new ApiProblem(status, detail, errors(problem));
        }
      } catch (IOException e) {
        // Not the problem document promised: fall back to the text, which still says something.
      }
    }
    String firstLine = body.strip().lines().findFirst().orElse("");
    return new ApiProblem(status, firstLine.isEmpty() ? reason(status) : firstLine, List.of());
  }

  /** A 2xx answer that is not the JSON this client expects (another program on the port?). */
  static ApiProblem unreadable(String url, int status, IOException e) {
    String why = e instanceof JsonProcessingException json ? json.getOriginalMessage()
        : String.valueOf(e.getMessage());
    return new ApiProblem(status, "unexpected answer from " + url + ": "
        + why.lines().findFirst().orElse("not JSON"), List.of());
  }

  int status() {
    return status;
  }

  String detail() {
    return detail;
  }

  /** The problem's {@code errors} array (a refused reload's FILE:LINE: key: message lines). */
  List<String> errors() {
    return errors;
  }

  private static String message(int status, String detail) {
    String line = detail + " (" + status + ")";
    return status == 401 ? line + "; " + UNAUTHORIZED_HINT : line;
  }

  /** A few words for an error that came without any text. */
  static String reason(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 409 -> "conflict";
      case 503 -> "unavailable";
      default -> status >= 500 ? "server error" : "request refused";
    };
  }

  private static String text(Map<String, Object> problem, String field, String fallback) {
    return problem.get(field) instanceof String value && !value.isBlank() ? value : fallback;
  }

  private static List<String> errors(Map<String, Object> problem) {
    return problem.get("errors") instanceof List<?> errors
        ? errors.stream().map(String::valueOf).toList() : List.of();
  }
}

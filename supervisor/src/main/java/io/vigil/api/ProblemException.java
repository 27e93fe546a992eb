package io.vigil.api;

import jakarta.ws.rs.core.Response.Status;
import java.util.List;

/**
 * A request Vigil refuses, with the status and a detail for the client (RFC 9457). A user error,
 * not a bug: it carries no stack trace and is never logged as an error.
 */
final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient List<String> errors;

  ProblemException(Status status, String detail) {
    this(status.getStatusCode(), detail, null);
  }

  ProblemException(int status, String detail, List<String> errors) {
    super(detail, null, false, false);
    this.status = status;
    this.errors = errors == null ? null : List.copyOf(errors);
  }

  static ProblemException badRequest(String detail) {
    return new ProblemException(Status.BAD_REQUEST, detail);
  }

  static ProblemException notFound(String detail) {
    return new ProblemException(Status.NOT_FOUND, detail);
  }

  int status() {
    return status;
  }

  /** Null unless the problem lists several errors (a refused reload). */
  List<String> errors() {
    return errors;
  }
}

package io.vigil.demo;

/** A request the demo cannot serve, with the HTTP status and the message to answer with. */
final class RequestError extends RuntimeException {
  private final int status;
  private final String allow;

  private RequestError(int status, String message, String allow) {
    super(message);
    this.status = status;
    this.allow = allow;
  }

  static RequestError badRequest(String message) {
    return new RequestError(400, message, null);
  }

  static RequestError notFound(String path) {
    return new RequestError(404, "no such endpoint: " + path, null);
  }

  /** 405; RFC 9110 section 15.5.6 requires the Allow header with it. */
  static RequestError methodNotAllowed(String method, String allow) {
    return new RequestError(405, method + " not allowed; use " + allow, allow);
  }

  int status() {
    return status;
  }

  /** The Allow header value, or null when the status needs none. */
  String allow() {
    return allow;
  }
}

package io.vigil.lb;

/** The response when no instance can take a request: status 400..599, a body and its type. */
public record FallbackSpec(int status, String body, String contentType) {
  public FallbackSpec {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("fallback status must be 400..599: " + status);
    }
  }
}

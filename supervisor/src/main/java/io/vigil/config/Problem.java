package io.vigil.config;

/** One thing wrong with a configuration, printed as {@code FILE:LINE: key.path: message}. */
public record Problem(Origin origin, String path, String message) {
  @Override
  public String toString() {
    return origin + ": " + path + ": " + message;
  }
}

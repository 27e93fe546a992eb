package io.vigil.config;

/**
 * What an HTTP check may send, checked when the configuration is read: a request line or header
 * that cannot be written would otherwise fail every check of the probe, and could restart a
 * healthy instance, instead of being reported by {@code vigil check}. Stateless.
 */
final class HttpSyntax {
  /** RFC 9110 section 5.6.2: the characters of a token, besides letters and digits. */
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private HttpSyntax() {}

  /** A header name: one or more token characters (RFC 9110 section 5.1). */
  static boolean isHeaderName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alphanumeric = c < 128 && Character.isLetterOrDigit(c);
      if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A header value: no control characters but tab (RFC 9110 section 5.5), so neither CR nor LF
   * can end the header early and smuggle another.
   */
  static boolean isHeaderValue(String value) {
    return value.chars().noneMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
  }

  /** A path for the request line: printable ASCII, no space (RFC 9112 section 3.2). */
  static boolean isRequestPath(String path) {
    return path.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }
}

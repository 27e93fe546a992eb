package io.vigil.probe;

/**
 * What an HTTP check may send: the configuration is checked against these rules when it is read,
 * since a request line or header that cannot be written would otherwise fail every check of the
 * probe, and could restart a healthy instance, instead of being reported by {@code vigil check}.
 * The header rules are the ones Netty applies when the request is encoded (a test holds them
 * together). Stateless.
 */
public final class HttpSyntax {
  /** RFC 9110 section 5.6.2: the characters of a token, besides letters and digits. */
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private HttpSyntax() {}

  /** A header name: one or more token characters (RFC 9110 section 5.1). */
  public static boolean isHeaderName(String name) {
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
   * A header value: printable ASCII or tabs, not beginning with a space or tab (RFC 9110 section
   * 5.5), so that neither CR nor LF can end the header early and smuggle another. Characters
   * beyond ASCII are refused too: the request is written one byte per character.
   */
  public static boolean isHeaderValue(String value) {
    if (!value.isEmpty() && (value.charAt(0) == ' ' || value.charAt(0) == '\t')) {
      return false;
    }
    return value.chars().allMatch(c -> (c >= 0x20 && c < 0x7f) || c == '\t');
  }

  /** A path for the request line: printable ASCII, no space (RFC 9112 section 3.2). */
  public static boolean isRequestPath(String path) {
    return path.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }
}

package io.vigil.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses path and query parameters by hand, so a bad value is a 400 that says what is wrong
 * (JAX-RS would answer a query parameter that fails to convert with a bare 404).
 */
final class Params {
  /** Service names as config validation allows them: they become file names, so no dots. */
  private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private Params() {}

  static String service(String raw) {
    if (raw == null || !SERVICE.matcher(raw).matches()) {
      throw ProblemException.badRequest("service name must match [a-z0-9][a-z0-9-]{0,62}, got "
          + quoted(raw));
    }
    return raw;
  }

  /** An instance index: a non-negative integer. */
  static int instance(String name, String raw) {
    return integer(name, raw, 0, Integer.MAX_VALUE);
  }

  /** An optional integer in [min, max]; absent or empty gives the default. */
  static int integer(String name, String raw, int absent, int min, int max) {
    return raw == null || raw.isEmpty() ? absent : integer(name, raw, min, max);
  }

  private static int integer(String name, String raw, int min, int max) {
    int value;
    try {
      value = Integer.parseInt(raw == null ? "" : raw);
    } catch (NumberFormatException e) {
      throw ProblemException.badRequest(name + " must be an integer, got " + quoted(raw));
    }
    if (value < min || value > max) {
      throw ProblemException.badRequest(name + " must be between " + min + " and " + max
          + ", got " + value);
    }
    return value;
  }

  /** An optional ISO-8601 instant: {@code 2026-11-27T03:00:00Z} or with an offset. */
  static Instant instant(String name, String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(raw).toInstant();
      } catch (DateTimeParseException e2) {
        throw ProblemException.badRequest(name + " must be an ISO-8601 time such as "
            + "2026-11-27T03:00:00Z, got " + quoted(raw));
      }
    }
  }

  /** One of the allowed words; absent or empty gives the first. Returns its index. */
  static int choice(String name, String raw, String... allowed) {
    if (raw == null || raw.isEmpty()) {
      return 0;
    }
    for (int i = 0; i < allowed.length; i++) {
      if (allowed[i].equals(raw)) {
        return i;
      }
    }
    throw ProblemException.badRequest(name + " must be one of " + String.join(", ", allowed)
        + ", got " + quoted(raw));
  }

  /** Quotes a client's value for a message, cut short so a huge value cannot bloat the answer. */
  static String quoted(String raw) {
    if (raw == null) {
      return "nothing";
    }
    String cut = raw.length() > 80 ? raw.substring(0, 80) + "..." : raw;
    return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}

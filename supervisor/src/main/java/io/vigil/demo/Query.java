package io.vigil.demo;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters of a fault request, checked strictly: a typo such as {@code ?millis=200} is a
 * 400 naming the expected parameter, not a silent no-op. Each getter throws a 400 {@link
 * RequestError} naming the accepted range and the value received.
 */
final class Query {
  private final Map<String, String> params;

  private Query(Map<String, String> params) {
    this.params = params;
  }

  /** Parses a raw (still percent-encoded) query string; null or empty means no parameters. */
  static Query parse(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        params.put(decode(name), decode(value));
      }
    }
    return new Query(params);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw RequestError.badRequest("malformed query: " + e.getMessage());
    }
  }

  /** Rejects any parameter not in {@code expected}. */
  Query allowOnly(String... expected) {
    Set<String> unknown = new TreeSet<>(params.keySet());
    unknown.removeAll(Set.of(expected));
    if (!unknown.isEmpty()) {
      throw RequestError.badRequest(
          "unknown parameter " + unknown + "; expected " + String.join(", ", expected));
    }
    return this;
  }

  int intParam(String name, Integer defaultValue, int min, int max) {
    String raw = params.get(name);
    String range = "an integer from " + min + " to " + max;
    if (raw == null) {
      return required(name, defaultValue, range);
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below with the accepted range, which says more than the parser's message.
    }
    throw invalid(name, range, raw);
  }

  double fraction(String name) {
    String raw = params.get(name);
    String range = "a number from 0 to 1";
    if (raw == null) {
      return required(name, null, range);
    }
    try {
      double value = Double.parseDouble(raw.trim());
      if (value >= 0.0 && value <= 1.0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below with the accepted range.
    }
    throw invalid(name, range, raw);
  }

  boolean bool(String name) {
    String raw = params.get(name);
    if ("true".equals(raw) || "false".equals(raw)) {
      return Boolean.parseBoolean(raw);
    }
    throw raw == null
        ? RequestError.badRequest(name + " is required: true or false")
        : invalid(name, "true or false", raw);
  }

  private static <T> T required(String name, T defaultValue, String range) {
    if (defaultValue == null) {
      throw RequestError.badRequest(name + " is required: " + range);
    }
    return defaultValue;
  }

  private static RequestError invalid(String name, String range, String raw) {
    return RequestError.badRequest(name + " must be " + range + ", was '" + raw + "'");
  }
}

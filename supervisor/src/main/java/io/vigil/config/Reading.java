package io.vigil.config;

import com.typesafe.config.ConfigValue;
import java.util.function.Predicate;

/**
 * How one setting's value is turned into a Java value, or into the message saying why it can't be.
 * Readings compose: {@code Readings.DURATION.check(d -> !d.isZero(), "must be greater than 0")}.
 */
@FunctionalInterface
interface Reading<T> {

  Parsed<T> from(ConfigValue value);

  /** This reading, then a rule on its result; a broken rule reports {@code message (got VALUE)}. */
  default Reading<T> check(Predicate<T> rule, String message) {
    return value -> {
      Parsed<T> parsed = from(value);
      if (parsed.ok() && !rule.test(parsed.value())) {
        return Parsed.error(message + Readings.got(value));
      }
      return parsed;
    };
  }

  /** A value, or the message that replaces it. */
  record Parsed<T>(T value, String error) {
    static <T> Parsed<T> ok(T value) {
      return new Parsed<>(value, null);
    }

    static <T> Parsed<T> error(String message) {
      return new Parsed<>(null, message);
    }

    boolean ok() {
      return error == null;
    }
  }
}

package io.vigil.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.vigil.agent.Signal;
import io.vigil.config.Reading.Parsed;
import io.vigil.restart.RestartPolicy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The readings Vigil's settings use; each message says what was expected and what was found. */
final class Readings {
  // A bare number would be read by typesafe as milliseconds (durations) or bytes (sizes): "period
  // = 10" meaning 10 ms is a trap, so Vigil insists on a unit.
  private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[+-]?[0-9.eE]+\\s*");
  private static final String DURATION_EXAMPLE = "must be a duration such as 500ms or 2s";
  private static final String SIZE_EXAMPLE = "must be a size such as 512MiB";

  static final Reading<String> STRING = value -> switch (value.valueType()) {
    case STRING, NUMBER, BOOLEAN -> Parsed.ok(value.atKey("v").getString("v"));
    default -> Parsed.error("must be a string" + got(value));
  };

  static final Reading<String> TEXT = STRING.check(s -> !s.isBlank(), "must not be empty");

  static final Reading<Integer> INTEGER = Readings::integer;

  static final Reading<Integer> PORT =
      INTEGER.check(p -> p >= 1 && p <= 65535, "must be between 1 and 65535");

  static final Reading<Double> NUMBER = Readings::number;

  static final Reading<Duration> DURATION = Readings::duration;

  static final Reading<Duration> POSITIVE_DURATION =
      DURATION.check(d -> d.compareTo(Duration.ZERO) > 0, "must be greater than 0");

  static final Reading<Duration> NON_NEGATIVE_DURATION =
      DURATION.check(d -> !d.isNegative(), "must not be negative");

  /** Sizes are always limits here, so zero and below are rejected with the type. */
  static final Reading<Long> SIZE = Readings::size;

  static final Reading<List<String>> STRING_LIST = Readings::stringList;

  /** A list of strings; a single string is taken as a list of one. */
  static final Reading<List<String>> STRING_LIST_ANY = value ->
      value.valueType() == ConfigValueType.STRING
          ? Parsed.ok(List.of((String) value.unwrapped())) : stringList(value);

  static final Reading<List<String>> COMMAND = STRING_LIST
      .check(c -> !c.isEmpty(), "must not be empty")
      .check(c -> !c.get(0).isBlank(), "must start with a program name");

  static final Reading<Signal> SIGNAL = Readings::signal;

  static final Reading<RestartPolicy> RESTART_POLICY = Readings::restartPolicy;

  static final Reading<Boolean> BOOLEAN = Readings::bool;

  private Readings() {}

  static Reading<Integer> atLeast(int min) {
    return INTEGER.check(i -> i >= min, "must be at least " + min);
  }

  static Reading<Double> atLeast(double min) {
    return NUMBER.check(d -> d >= min, "must be at least " + plain(min));
  }

  static Reading<Integer> between(int min, int max) {
    return INTEGER.check(i -> i >= min && i <= max, "must be between " + min + " and " + max);
  }

  static Reading<Double> between(double min, double max) {
    return NUMBER.check(
        d -> d >= min && d <= max, "must be between " + plain(min) + " and " + plain(max));
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** {@code host:port}, such as 127.0.0.1:9650; port 0 asks the kernel for a free one. */
  static final Reading<ListenAddress> LISTEN = value -> {
    Parsed<String> text = TEXT.from(value);
    if (!text.ok()) {
      return Parsed.error(text.error());
    }
    String s = text.value().trim();
    int colon = s.lastIndexOf(':');
    String host = colon > 0 ? s.substring(0, colon) : "";
    try {
      int port = Integer.parseInt(s.substring(colon + 1));
      if (host.isEmpty() || port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return Parsed.ok(new ListenAddress(host, port));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return Parsed.error("must be HOST:PORT such as 127.0.0.1:9650" + got(value));
    }
  };

  /** A path; a relative one is taken relative to {@code base}, the config file's directory. */
  static Reading<Path> path(Path base) {
    return value -> {
      Parsed<String> text = TEXT.from(value);
      if (!text.ok()) {
        return Parsed.error(text.error());
      }
      try {
        return Parsed.ok(base.resolve(text.value()).normalize());
      } catch (InvalidPathException e) {
        return Parsed.error("is not a valid path: " + e.getReason() + got(value));
      }
    };
  }

  /** " (got VALUE)", as the user wrote it where possible, to end a message. */
  static String got(ConfigValue value) {
    return " (got " + shown(value) + ")";
  }

  static String shown(ConfigValue value) {
    return switch (value.valueType()) {
      case OBJECT -> "an object";
      case LIST -> shortList(value);
      case NULL -> "null";
      case STRING -> plainOrQuoted((String) value.unwrapped());
      default -> value.atKey("v").getString("v");
    };
  }

  /** A short list as written (["", "arg"]); a long one would bury the message. */
  private static String shortList(ConfigValue value) {
    String rendered = value.render(ConfigRenderOptions.concise()).replace("\",\"", "\", \"");
    return rendered.length() <= 40 ? rendered : "a list";
  }

  private static String plainOrQuoted(String s) {
    return s.isEmpty() || !s.strip().equals(s) || s.contains(" ") || s.contains("\"")
        ? ConfigUtil.quoteString(s) : s;
  }

  private static Parsed<Integer> integer(ConfigValue value) {
    Object raw = value.unwrapped();
    if (raw instanceof Integer i) {
      return Parsed.ok(i);
    }
    if (raw instanceof Long) {
      return Parsed.error("must be an integer no larger than " + Integer.MAX_VALUE + got(value));
    }
    if (value.valueType() == ConfigValueType.STRING) {
      try {
        return Parsed.ok(Integer.parseInt(((String) raw).strip()));
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
    }
    return Parsed.error("must be an integer" + got(value));
  }

  private static Parsed<Double> number(ConfigValue value) {
    try {
      if (value.valueType() == ConfigValueType.NUMBER
          || value.valueType() == ConfigValueType.STRING) {
        double d = value.atKey("v").getDouble("v");
        if (Double.isFinite(d)) {
          return Parsed.ok(d);
        }
      }
    } catch (ConfigException e) {
      // falls through to the message below
    }
    return Parsed.error("must be a number" + got(value));
  }

  private static Parsed<Duration> duration(ConfigValue value) {
    if (isBareNumber(value)) {
      return Parsed.error(DURATION_EXAMPLE + "; a unit is required" + got(value));
    }
    try {
      if (value.valueType() == ConfigValueType.STRING) {
        return Parsed.ok(value.atKey("v").getDuration("v"));
      }
    } catch (ConfigException e) {
      // falls through to the message below
    }
    return Parsed.error(DURATION_EXAMPLE + got(value));
  }

  private static Parsed<Long> size(ConfigValue value) {
    if (isBareNumber(value)) {
      return Parsed.error(SIZE_EXAMPLE + "; a unit is required" + got(value));
    }
    if (value.valueType() == ConfigValueType.STRING
        && ((String) value.unwrapped()).strip().startsWith("-")) {
      return Parsed.error("must be greater than 0" + got(value));
    }
    try {
      if (value.valueType() == ConfigValueType.STRING) {
        long bytes = value.atKey("v").getBytes("v");
        return bytes > 0 ? Parsed.ok(bytes) : Parsed.error("must be greater than 0" + got(value));
      }
    } catch (ConfigException | IllegalArgumentException e) {
      // unparseable, or too large for a long: falls through to the message below
    }
    return Parsed.error(SIZE_EXAMPLE + got(value));
  }

  private static boolean isBareNumber(ConfigValue value) {
    return value.valueType() == ConfigValueType.NUMBER
        || (value.valueType() == ConfigValueType.STRING
            && BARE_NUMBER.matcher((String) value.unwrapped()).matches());
  }

  private static Parsed<List<String>> stringList(ConfigValue value) {
    if (value.valueType() == ConfigValueType.STRING) {
      // Vigil never splits a command line: quoting rules would be a second, hidden syntax.
      return Parsed.error("must be a list of strings such as [\"python3\", \"app.py\"], "
          + "not a single string" + got(value));
    }
    if (!(value instanceof ConfigList list)) {
      return Parsed.error("must be a list of strings" + got(value));
    }
    List<String> strings = new ArrayList<>();
    for (ConfigValue item : list) {
      Parsed<String> s = STRING.from(item);
      if (!s.ok()) {
        return Parsed.error(
            "must be a list of strings; item " + (strings.size() + 1) + " is " + shown(item));
      }
      strings.add(s.value());
    }
    return Parsed.ok(strings);
  }

  private static Parsed<Boolean> bool(ConfigValue value) {
    try {
      if (value.valueType() == ConfigValueType.BOOLEAN
          || value.valueType() == ConfigValueType.STRING) {
        return Parsed.ok(value.atKey("v").getBoolean("v"));
      }
    } catch (ConfigException e) {
      // falls through to the message below
    }
    return Parsed.error("must be true or false" + got(value));
  }

  /**
   * One of {@code names} (in the order given), matched exactly; {@code values} are what they
   * stand for. The message lists them all: {@code must be one of http, tcp (got udp)}.
   */
  static <T> Reading<T> oneOf(List<String> names, List<T> values) {
    return value -> {
      Parsed<String> name = STRING.from(value);
      int i = name.ok() ? names.indexOf(name.value()) : -1;
      return i >= 0 ? Parsed.ok(values.get(i))
          : Parsed.error("must be one of " + String.join(", ", names) + got(value));
    };
  }

  private static Parsed<Signal> signal(ConfigValue value) {
    Parsed<String> name = TEXT.from(value);
    if (!name.ok()) {
      return Parsed.error(name.error());
    }
    return Signal.parse(name.value())
        .map(Parsed::ok)
        .orElseGet(() -> Parsed.error("unknown signal '" + name.value() + "'; known: "
            + String.join(", ", Signal.names())));
  }

  private static Parsed<RestartPolicy> restartPolicy(ConfigValue value) {
    Parsed<String> name = STRING.from(value);
    for (RestartPolicy policy : RestartPolicy.values()) {
      if (name.ok() && name.value().equals(policyName(policy))) {
        return Parsed.ok(policy);
      }
    }
    return Parsed.error("must be one of always, on-failure, never" + got(value));
  }

  static String policyName(RestartPolicy policy) {
    return policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

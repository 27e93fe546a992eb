package io.vigil.time;

import java.time.Duration;
import java.util.Locale;

/**
 * Short, human-readable durations for reasons and log lines: {@code 0s}, {@code 250ms}, {@code
 * 1.2s}, {@code 2m30s}, {@code 1h5m}. Precision drops as the value grows; it is for people, not for
 * parsing. Stateless and thread-safe.
 */
public final class HumanDuration {
  private static final long MILLI = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;

  private HumanDuration() {}

  public static String format(Duration duration) {
    return format(Nanos.of(duration));
  }

  public static String format(long nanos) {
    if (nanos < 0) {
      return nanos == Long.MIN_VALUE ? "-∞" : "-" + format(-nanos);
    }
    if (nanos == 0) {
      return "0s";
    }
    if (nanos < SECOND - MILLI / 2) {
      long millis = Math.round(nanos / (double) MILLI);
      return millis == 0 ? "<1ms" : millis + "ms";
    }
    if (nanos < MINUTE) {
      return seconds(nanos);
    }
    if (nanos < HOUR) {
      return withRest(nanos / MINUTE, "m", (nanos % MINUTE) / SECOND, "s");
    }
    return withRest(nanos / HOUR, "h", (nanos % HOUR) / MINUTE, "m");
  }

  private static String seconds(long nanos) {
    long tenths = Math.round(nanos / (SECOND / 10.0));
    if (tenths == 600) {
      return "1m";
    }
    return tenths % 10 == 0
        ? (tenths / 10) + "s"
        : String.format(Locale.ROOT, "%d.%ds", tenths / 10, tenths % 10);
  }

  private static String withRest(long whole, String unit, long rest, String restUnit) {
    return rest == 0 ? whole + unit : whole + unit + rest + restUnit;
  }
}

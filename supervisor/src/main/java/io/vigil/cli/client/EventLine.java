package io.vigil.cli.client;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One event as one line, its times in the given zone:
 * {@code 2026-11-27 03:00:00.123  web/0  READY -> EXITED  exited: exit code 3  pid=1234}, or for
 * the load balancer {@code 2026-11-27 03:00:00.123  web/0  lb IN_ROTATION -> EJECTED  5
 * consecutive 5xx responses; ejected for 30s (ejection 1 in a row)  until=2026-11-27
 * 03:00:30.123}. Thread-safe.
 */
final class EventLine {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private final DateTimeFormatter time;

  EventLine(ZoneId zone) {
    this.time = TIME.withZone(zone);
  }

  String format(Event e) {
    List<String> parts = new ArrayList<>();
    parts.add(time(e.time()));
    parts.add(e.instance() == null ? e.service() : e.service() + "/" + e.instance());
    // "lb" marks the load balancer's view, so IN_ROTATION -> EJECTED never reads as a state
    parts.add((e.rotation() ? "lb " : "") + e.from() + " -> " + e.to());
    if (e.reason() != null && !e.reason().isBlank()) {
      parts.add(e.reason());
    }
    if (e.pid() != null) {
      parts.add("pid=" + e.pid());
    }
    if (e.until() != null) {
      parts.add("until=" + time(e.until()));
    }
    return String.join("  ", parts);
  }

  /** A time the client cannot parse is shown as it came rather than dropped. */
  private String time(String iso) {
    try {
      return time.format(Instant.parse(iso));
    } catch (DateTimeParseException | NullPointerException e) {
      return String.valueOf(iso);
    }
  }
}

package io.vigil.config;

import com.typesafe.config.ConfigOrigin;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns typesafe origins into {@link Origin}s and orders them for reports. Stateless. */
final class Origins {
  // An object merged from two places has no line of its own, and its "filename" (if any) is a
  // description such as "merge of /etc/vigil/vigil.conf: 12,reference.conf @ jar:...: 40". The
  // first part is the side that won (the user's): where a problem with the object should point.
  private static final Pattern MERGED = Pattern.compile("^(?:merge of )+(.*?): (\\d+)(?:,|$)");

  private Origins() {}

  static Origin of(ConfigOrigin origin) {
    if (origin == null) {
      return new Origin("(unknown)", 0);
    }
    Matcher merged = MERGED.matcher(origin.description());
    if (merged.find()) {
      return new Origin(merged.group(1), Integer.parseInt(merged.group(2)));
    }
    int line = Math.max(origin.lineNumber(), 0);
    if (origin.filename() != null) {
      return new Origin(origin.filename(), line);
    }
    if (origin.resource() != null) {
      return new Origin(origin.resource(), line);
    }
    return new Origin(origin.description(), line);
  }

  /** The main file first (problems there usually cause the others), then files by name, then lines. */
  static Comparator<Origin> order(String mainFile) {
    return Comparator.comparing((Origin o) -> !o.file().equals(mainFile))
        .thenComparing(Origin::file)
        .thenComparingInt(Origin::line);
  }
}

package io.vigil.cli.client;

import java.util.ArrayList;
import java.util.List;

/** What {@code POST /v1/reload} did, by service name. Immutable. */
record ReloadDiff(List<String> added, List<String> removed, List<String> changed,
    List<String> unchanged) {

  ReloadDiff {
    added = orEmpty(added);
    removed = orEmpty(removed);
    changed = orEmpty(changed);
    unchanged = orEmpty(unchanged);
  }

  /**
   * One line per non-empty group, e.g. {@code added: worker} and {@code changed: api, web};
   * {@code no changes} first when nothing was added, removed or changed.
   */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    if (added.isEmpty() && removed.isEmpty() && changed.isEmpty()) {
      lines.add("no changes");
    }
    group(lines, "added", added);
    group(lines, "removed", removed);
    group(lines, "changed", changed);
    group(lines, "unchanged", unchanged);
    return lines;
  }

  private static void group(List<String> lines, String name, List<String> services) {
    if (!services.isEmpty()) {
      lines.add(name + ": " + String.join(", ", services));
    }
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}

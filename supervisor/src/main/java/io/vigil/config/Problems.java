package io.vigil.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every problem found while reading a configuration, so that one run reports all of them.
 * Readers take a {@link #mark()} before a section and build its record only if nothing was added
 * since. Not thread-safe: one load uses one instance.
 */
final class Problems {
  private final List<Problem> problems = new ArrayList<>();

  void add(Origin origin, String path, String message) {
    problems.add(new Problem(origin, path, message));
  }

  int mark() {
    return problems.size();
  }

  boolean cleanSince(int mark) {
    return problems.size() == mark;
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  /** By file, then line; problems on the same line keep the order they were found in. */
  List<Problem> sorted(String mainFile) {
    List<Problem> sorted = new ArrayList<>(problems);
    Comparator<Origin> order = Origins.order(mainFile);
    sorted.sort((a, b) -> order.compare(a.origin(), b.origin()));
    return List.copyOf(sorted);
  }
}

package io.vigil.cli.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Which lines of a freshly fetched log tail are new, for {@code vigil logs -f}: the API has no
 * offsets, so each poll fetches the last {@code window} lines again and this finds where the
 * previous fetch ends in it.
 *
 * <p>Both fetches are the last {@code window} lines of a log that only grew, so the new fetch
 * starts somewhere inside the previous one; the longest suffix of the previous fetch that is a
 * prefix of the new one is taken as the overlap, and what follows it is new. When lines repeat,
 * the longest overlap may hide a repeated new line; when more than {@code window} lines were
 * written between polls, or the log was rotated, there is no overlap and the whole fetch is new.
 * Not thread-safe.
 */
final class LogTail {
  private List<String> previous = List.of();

  /** The new lines of {@code fetched}; remembers it for the next call. */
  List<String> next(List<String> fetched) {
    int overlap = overlap(previous, fetched);
    previous = List.copyOf(fetched);
    return fetched.subList(overlap, fetched.size());
  }

  /** The length of the longest suffix of {@code before} that is a prefix of {@code after}. */
  static int overlap(List<String> before, List<String> after) {
    for (int start = Math.max(0, before.size() - after.size()); start < before.size(); start++) {
      if (before.subList(start, before.size()).equals(after.subList(0, before.size() - start))) {
        return before.size() - start;
      }
    }
    return 0;
  }

  /**
   * The complete lines of a text body; a last line without its newline is still being written
   * and is left for the next poll, or it would be printed twice.
   */
  static List<String> completeLines(String body) {
    List<String> lines = new ArrayList<>(body.lines().toList());
    if (!body.isEmpty() && !body.endsWith("\n") && !lines.isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }
}

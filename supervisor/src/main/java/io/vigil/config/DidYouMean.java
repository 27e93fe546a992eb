package io.vigil.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * The message for an unknown key: the closest allowed key if one is close, else all of them.
 * Close means the same key in another spelling ({@code workingDir}), at most two edits away
 * ({@code timout}), or sharing a clear prefix ({@code initialDelaySeconds}, {@code grace}).
 */
final class DidYouMean {
  private DidYouMean() {}

  static String unknownKey(String key, Collection<String> allowed) {
    return suggest(key, allowed)
        .map(s -> "unknown key '" + key + "'; did you mean '" + s + "'?")
        .orElseGet(() -> "unknown key '" + key + "'; allowed keys: " + String.join(", ", allowed));
  }

  static Optional<String> suggest(String key, Collection<String> allowed) {
    String k = normal(key);
    return allowed.stream()
        .filter(a -> close(k, normal(a)))
        .min(Comparator.comparingInt(a -> distance(k, normal(a))));
  }

  private static boolean close(String k, String a) {
    // Two edits turn most four-letter words into others (host, port): short keys get one.
    int maxEdits = k.length() <= 4 ? 1 : 2;
    boolean prefix = Math.min(k.length(), a.length()) >= 3 && (k.startsWith(a) || a.startsWith(k));
    return distance(k, a) <= maxEdits || prefix || commonPrefix(k, a) >= 5;
  }

  /** Case and separators don't matter: working_dir, workingDir and working-dir are one key. */
  private static String normal(String key) {
    return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
  }

  private static int commonPrefix(String a, String b) {
    int n = 0;
    while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
      n++;
    }
    return n;
  }

  /**
   * Edit distance where swapping two neighbours counts as one edit ({@code prot} is one edit from
   * {@code port}): Levenshtein plus transpositions, the "optimal string alignment" variant.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        d[i][j] = i == 0 || j == 0 ? i + j : edit(a, b, d, i, j);
      }
    }
    return d[a.length()][b.length()];
  }

  private static int edit(String a, String b, int[][] d, int i, int j) {
    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
    int best = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
    boolean swapped = i > 1 && j > 1
        && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1);
    return swapped ? Math.min(best, d[i - 2][j - 2] + 1) : best;
  }
}

package io.vigil.config;

/** Where a setting came from, for error messages: {@code file:line}. Line 0 = unknown. */
public record Origin(String file, int line) {
  @Override
  public String toString() {
    return line > 0 ? file + ":" + line : file;
  }
}

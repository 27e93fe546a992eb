package io.vigil.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Files shipped in the jar next to this package's classes ({@code io/vigil/api/...}). */
final class StaticFile {
  private StaticFile() {}

  /** The whole file; a missing one is a broken build, so it fails at start, not per request. */
  static byte[] load(String name) {
    try (InputStream in = StaticFile.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("io/vigil/api/" + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read io/vigil/api/" + name + " from the jar", e);
    }
  }
}

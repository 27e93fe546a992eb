package io.vigil.metrics;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Where the repository's {@code dashboards/} folder is, from the module or the root. */
public final class Dashboards {
  private Dashboards() {}

  public static Path dir() {
    String basedir = System.getProperty("basedir", ".");
    for (Path candidate : List.of(Path.of(basedir, "../dashboards"), Path.of("../dashboards"),
        Path.of("dashboards"))) {
      if (Files.isDirectory(candidate)) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new UncheckedIOException(new NoSuchFileException("dashboards/ not found from "
        + Path.of("").toAbsolutePath()));
  }

  public static Path overview() {
    return dir().resolve("vigil-overview.json");
  }

  public static Path alerts() {
    return dir().resolve("vigil-alerts.yml");
  }

  public static Path alertTests() {
    return dir().resolve("vigil-alerts.test.yml");
  }
}

package io.vigil.config;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** Where the test configurations live, and the runtime values a command line would pass. */
final class TestConfigs {
  static final Map<String, String> RUNTIME =
      Map.of("java", "/usr/bin/java", "jar", "/opt/vigil/vigil.jar");

  private TestConfigs() {}

  /** A directory under src/test/resources/config, e.g. {@code dir("valid")}. */
  static Path dir(String name) {
    try {
      return Path.of(TestConfigs.class.getResource("/config/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path valid(String file) {
    return dir("valid").resolve(file);
  }

  static Path invalid(String file) {
    return dir("invalid").resolve(file);
  }

  static VigilConfig load(Path file) throws ConfigInvalidException {
    return ConfigLoader.load(file, RUNTIME);
  }
}

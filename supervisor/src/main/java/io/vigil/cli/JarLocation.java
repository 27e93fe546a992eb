package io.vigil.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the running vigil.jar is, and the checkout it was built in. */
final class JarLocation {
  private JarLocation() {}

  static Path jar() {
    String override = System.getProperty("vigil.jar");
    if (override != null) {
      return Path.of(override).toAbsolutePath();
    }
    try {
      return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toAbsolutePath();
    } catch (URISyntaxException | SecurityException e) {
      return Path.of("supervisor/target/vigil.jar").toAbsolutePath();
    }
  }

  /**
   * config/vigil.conf of the checkout when the jar sits at supervisor/target/vigil.jar in it,
   * otherwise config/vigil.conf under the working directory.
   */
  static Path repoDefaultConfig() {
    Path jar = jar();
    Path target = jar.getParent();
    if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
      Path candidate = target.getParent().getParent().resolve("config/vigil.conf");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return Path.of("config/vigil.conf").toAbsolutePath();
  }
}

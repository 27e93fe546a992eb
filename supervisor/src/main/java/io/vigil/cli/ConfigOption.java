package io.vigil.cli;

import io.vigil.config.ConfigInvalidException;
import io.vigil.config.ConfigLoader;
import io.vigil.config.Problem;
import io.vigil.config.VigilConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --config} option shared by commands, and the lookup order: --config, then
 * $VIGIL_CONFIG, then /etc/vigil/vigil.conf if present, then config/vigil.conf of the checkout.
 */
public final class ConfigOption {
  static final Path ETC_DEFAULT = Path.of("/etc/vigil/vigil.conf");

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Configuration file (default: $VIGIL_CONFIG, /etc/vigil/vigil.conf, "
          + "config/vigil.conf).")
  Path file;

  public Path locate() {
    return ConfigLoader.locate(Optional.ofNullable(file), System.getenv(), ETC_DEFAULT,
        JarLocation.repoDefaultConfig());
  }

  /** Loads and validates; on problems prints them all as FILE:LINE: key: message. */
  Optional<VigilConfig> load(PrintWriter err) {
    Path path = locate();
    try {
      return Optional.of(ConfigLoader.load(path, runtimeValues()));
    } catch (ConfigInvalidException e) {
      for (Problem p : e.problems()) {
        err.println(p);
      }
      err.println("vigil: " + path + ": " + e.problems().size() + " problem(s); nothing started");
      err.flush();
      return Optional.empty();
    }
  }

  /** Values a config may use as ${vigil.runtime.java} and ${vigil.runtime.jar}. */
  public static Map<String, String> runtimeValues() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return Map.of("java", java.toString(), "jar", JarLocation.jar().toString());
  }

  static boolean exists(Path p) {
    return Files.isRegularFile(p);
  }
}

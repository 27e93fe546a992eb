package io.vigil.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Loads and validates a Vigil configuration file, reporting every problem at once.
 *
 * <pre>{@code
 * Path file = ConfigLoader.locate(option, System.getenv(),
 *     Path.of("/etc/vigil/vigil.conf"), Path.of("config/vigil.conf"));
 * try {
 *   VigilConfig config = ConfigLoader.load(file, Map.of("java", javaBinary, "jar", vigilJar));
 * } catch (ConfigInvalidException e) {
 *   e.problems().forEach(System.err::println);   // FILE:LINE: key.path: message
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe; each call reads the files again.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Reads {@code file} (with its includes), fills in the defaults of reference.conf and checks
   * everything. Relative paths in the file are taken relative to its directory.
   *
   * @param runtime values offered to the file as {@code ${vigil.runtime.NAME}}; the command line
   *     passes {@code java} (the running java binary) and {@code jar} (vigil.jar)
   * @throws ConfigInvalidException with every problem found, ordered by file and line; this
   *     includes a missing or unreadable file and HOCON syntax errors
   */
  public static VigilConfig load(Path file, Map<String, String> runtime)
      throws ConfigInvalidException {
    Path absolute = file.toAbsolutePath().normalize();
    Problems problems = new Problems();
    Optional<VigilConfig> config;
    try {
      Config root = HoconSource.resolve(absolute, runtime);
      config = new ConfigReader(absolute, problems).read(root);
    } catch (ConfigException e) {
      // Readers convert values without letting typesafe throw; should one slip through anyway,
      // it still names a file and line, so it is reported like any other problem.
      problems.add(Origins.of(e.origin()), "(config)", HoconSource.withoutOrigin(e));
      config = Optional.empty();
    }
    if (config.isEmpty() || !problems.isEmpty()) {
      throw new ConfigInvalidException(problems.sorted(absolute.toString()));
    }
    return config.get();
  }

  /**
   * Which file to load: {@code flag} (--config) if given, else {@code $VIGIL_CONFIG} if set, else
   * {@code etcDefault} if it exists, else {@code repoDefault} (for running from a checkout).
   */
  public static Path locate(Optional<Path> flag, Map<String, String> environment,
      Path etcDefault, Path repoDefault) {
    if (flag.isPresent()) {
      return flag.get();
    }
    String fromEnvironment = environment.get("VIGIL_CONFIG");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Path.of(fromEnvironment);
    }
    return Files.exists(etcDefault) ? etcDefault : repoDefault;
  }
}

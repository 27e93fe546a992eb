package io.vigil.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads the user's file with its includes, lays it over the runtime values ({@code
 * vigil.runtime.*}) and reference.conf, and resolves substitutions (environment variables too,
 * through {@code ${?NAME}}). Each typesafe exception becomes a {@link Problem} with file and line.
 */
final class HoconSource {
  static final String RUNTIME_PATH = "vigil.runtime";

  private HoconSource() {}

  static Config resolve(Path file, Map<String, String> runtime) throws ConfigInvalidException {
    checkReadable(file);
    try {
      Config user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
          .setSyntax(ConfigSyntax.CONF)
          .setAllowMissing(false)
          .setIncluder(new FileIncluder(file)));
      return user.withFallback(runtime(runtime)).withFallback(reference()).resolve();
    } catch (ConfigException e) {
      throw new ConfigInvalidException(List.of(problemOf(e, file, runtime)));
    }
  }

  private static void checkReadable(Path file) throws ConfigInvalidException {
    String why = !Files.exists(file) ? "no such file"
        : Files.isDirectory(file) ? "is a directory, not a file"
        : !Files.isReadable(file) ? "cannot be read (permission denied)"
        : null;
    if (why != null) {
      throw new ConfigInvalidException(
          List.of(new Problem(new Origin(file.toString(), 0), "(file)", why)));
    }
  }

  private static Config runtime(Map<String, String> runtime) {
    return ConfigValueFactory.fromMap(runtime, "vigil runtime (set by the command line)")
        .atPath(RUNTIME_PATH);
  }

  /**
   * Vigil's defaults. Only the {@code vigil} and {@code services} trees are kept, in case another
   * jar on the classpath ships a reference.conf of its own.
   */
  private static Config reference() {
    Config all = ConfigFactory.parseResources(
        HoconSource.class.getClassLoader(), "reference.conf", ConfigParseOptions.defaults());
    if (!all.hasPath("vigil.defaults")) {
      throw new IllegalStateException("Vigil's reference.conf is missing from the classpath");
    }
    return all.withOnlyPath("vigil").withFallback(all.withOnlyPath("services"));
  }

  private static Problem problemOf(ConfigException e, Path file, Map<String, String> runtime) {
    Origin origin = e.origin() == null ? new Origin(file.toString(), 0) : Origins.of(e.origin());
    String message = withoutOrigin(e);
    if (e instanceof ConfigException.UnresolvedSubstitution) {
      String expression = message.substring(message.lastIndexOf(':') + 1).strip();
      return new Problem(origin, expression, "cannot be substituted: no such setting or "
          + "environment variable (" + runtimeKeys(runtime) + ")");
    }
    String path = e instanceof ConfigException.Parse ? "(syntax)"
        : e instanceof ConfigException.IO ? "(include)" : "(config)";
    return new Problem(origin, path, message);
  }

  private static String runtimeKeys(Map<String, String> runtime) {
    return runtime.isEmpty() ? "vigil.runtime is empty"
        : "vigil.runtime has " + String.join(", ", runtime.keySet().stream().sorted().toList());
  }

  /** typesafe prefixes each message with its origin; the Problem carries that separately. */
  static String withoutOrigin(ConfigException e) {
    String message = String.valueOf(e.getMessage());
    String prefix = e.origin() == null ? "" : e.origin().description() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }
}

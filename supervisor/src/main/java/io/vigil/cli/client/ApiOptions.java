package io.vigil.cli.client;

import io.vigil.cli.ConfigOption;
import io.vigil.config.ApiSpec;
import io.vigil.config.ConfigInvalidException;
import io.vigil.config.ConfigLoader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every API command shares: {@code --api}, {@code --token-file} and {@code --config}
 * (located as {@code vigil run} does, and read only when the first two leave something open).
 */
final class ApiOptions {
  @Option(names = "--api", paramLabel = "URL",
      description = "Vigil's API (default: http:// + vigil.api.listen of the configuration, "
          + "else http://127.0.0.1:9650).")
  URI api;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding the API token (default: $VIGIL_TOKEN, else "
          + "vigil.api.token-file of the configuration if readable).")
  Path tokenFile;

  @Mixin ConfigOption config;

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  private Optional<ApiSpec> configApi;

  /** Resolves the target; a bad --api or --token-file is a usage error (exit 2). */
  ApiTarget target(PrintWriter err) {
    if (api != null && !isHttp(api)) {
      throw new ParameterException(command.commandLine(),
          "--api must be an http:// or https:// URL, got '" + api + "'");
    }
    try {
      return ApiTarget.resolve(Optional.ofNullable(api), Optional.ofNullable(tokenFile),
          System.getenv(), () -> configApi(err));
    } catch (ApiTarget.BadTokenFile e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
  }

  private static boolean isHttp(URI uri) {
    return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        && uri.getHost() != null;
  }

  private Optional<ApiSpec> configApi(PrintWriter err) {
    if (configApi == null) {
      configApi = loadApi(err);
    }
    return configApi;
  }

  /**
   * The configuration's API settings, if it loads. A file that exists but does not load is
   * named on stderr, since the address and token then fall back to defaults; a missing default
   * file is normal on a client-only host and goes unmentioned.
   */
  private Optional<ApiSpec> loadApi(PrintWriter err) {
    Path file = config.locate();
    try {
      return Optional.of(ConfigLoader.load(file, ConfigOption.runtimeValues()).daemon().api());
    } catch (ConfigInvalidException e) {
      if (Files.exists(file)) {
        err.println("vigil: ignoring " + file + ": " + e.problems().size()
            + " problem(s) (see vigil check)");
        err.flush();
      }
      return Optional.empty();
    }
  }
}

package io.vigil.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code vigil.api} and {@code vigil.metrics}. Two safety rules live here so that {@code
 * vigil check} reports them too: a token file must be readable by its owner only (like ssh's
 * keys), and the API may bind a non-loopback address only with a token.
 */
final class ApiReader {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private ApiReader() {}

  static ApiSpec read(Section vigil, Path baseDir) {
    Section api = vigil.child("api").orElse(null);
    Section metrics = vigil.child("metrics").orElse(null);
    if (api == null || metrics == null) {
      return null;
    }
    ListenAddress listen = api.required("listen", Readings.LISTEN);
    Optional<Path> tokenFile = api.optional("token-file", Readings.path(baseDir));
    ListenAddress metricsListen = metrics.required("listen", Readings.LISTEN);
    tokenFile.ifPresent(file -> checkTokenFile(api, file));
    if (listen != null && !listen.loopback() && tokenFile.isEmpty() && api.has("listen")) {
      api.report("listen", "binding " + listen + " (not loopback) needs vigil.api.token-file;"
          + " without a token anyone on the network could stop your services");
    }
    return listen == null || metricsListen == null
        ? null : new ApiSpec(listen, tokenFile, metricsListen);
  }

  private static void checkTokenFile(Section api, Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        api.report("token-file", "no such file: " + file);
        return;
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      if (!OWNER_ONLY.containsAll(perms)) {
        api.report("token-file", file + " is readable by others (mode "
            + java.nio.file.attribute.PosixFilePermissions.toString(perms)
            + "); run: chmod 600 " + file);
      } else if (Files.readString(file).isBlank()) {
        api.report("token-file", file + " is empty");
      }
    } catch (IOException | UnsupportedOperationException e) {
      api.report("token-file", "cannot read " + file + ": " + e.getMessage());
    }
  }
}

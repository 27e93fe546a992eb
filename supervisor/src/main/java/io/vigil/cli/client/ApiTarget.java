package io.vigil.cli.client;

import io.vigil.config.ApiSpec;
import io.vigil.config.ListenAddress;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where Vigil's API is and the bearer token to send, resolved from the command line, the
 * environment and the configuration, in that order.
 *
 * <pre>{@code
 * ApiTarget t = ApiTarget.resolve(Optional.empty(), Optional.empty(), System.getenv(), config);
 * t.base();   // http://127.0.0.1:9650 unless vigil.api.listen says otherwise
 * }</pre>
 *
 * @param base the API's root URL, without a trailing slash
 * @param token the bearer token, if any
 */
record ApiTarget(URI base, Optional<String> token) {
  static final URI DEFAULT = URI.create("http://127.0.0.1:9650");
  static final String TOKEN_VARIABLE = "VIGIL_TOKEN";

  /** A token file given with --token-file that cannot be used; a usage error. */
  static final class BadTokenFile extends Exception {
    BadTokenFile(String message) {
      super(message);
    }
  }

  /**
   * The API address is {@code api} if given, else {@code http://} + the configuration's {@code
   * vigil.api.listen}, else {@link #DEFAULT}. The token is read from {@code tokenFile} if given,
   * else taken from {@code $VIGIL_TOKEN}, else read from the configuration's {@code
   * vigil.api.token-file} if that is readable. {@code config} is asked only when needed.
   */
  static ApiTarget resolve(Optional<URI> api, Optional<Path> tokenFile, Map<String, String> env,
      Supplier<Optional<ApiSpec>> config) throws BadTokenFile {
    URI base = api.or(() -> config.get().map(spec -> url(spec.listen()))).orElse(DEFAULT);
    Optional<String> token = tokenFile.isPresent()
        ? Optional.of(readGiven(tokenFile.get()))
        : fromEnvironment(env).or(() -> config.get().flatMap(ApiSpec::tokenFile)
            .flatMap(ApiTarget::readIfReadable));
    return new ApiTarget(withoutTrailingSlash(base), token);
  }

  /** The URL a client uses for a listen address; a wildcard bind is reached over loopback. */
  static URI url(ListenAddress listen) {
    String host = switch (listen.host()) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "[::]" -> "[::1]";
      default -> listen.host().contains(":") && !listen.host().startsWith("[")
          ? "[" + listen.host() + "]" : listen.host();
    };
    return URI.create("http://" + host + ":" + listen.port());
  }

  private static Optional<String> fromEnvironment(Map<String, String> env) {
    return Optional.ofNullable(env.get(TOKEN_VARIABLE)).map(String::strip)
        .filter(t -> !t.isEmpty());
  }

  private static String readGiven(Path file) throws BadTokenFile {
    try {
      String token = Files.readString(file).strip();
      if (token.isEmpty()) {
        throw new BadTokenFile("token file " + file + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new BadTokenFile("cannot read token file " + file + ": " + reason(e));
    }
  }

  private static Optional<String> readIfReadable(Path file) {
    try {
      return Optional.of(Files.readString(file).strip()).filter(t -> !t.isEmpty());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String reason(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException ? "no such file"
        : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
        : String.valueOf(e.getMessage());
  }

  private static URI withoutTrailingSlash(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
  }
}

package io.vigil.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The API's shared secret, read once at start from {@code vigil.api.token-file} (trimmed).
 *
 * <p>Comparison is constant-time: both sides are hashed to SHA-256 first, so neither the content
 * nor the length of the real token leaks through timing, then compared with {@link
 * MessageDigest#isEqual}. Immutable and thread-safe.
 */
final class BearerToken {
  private final byte[] digest;

  private BearerToken(String token) {
    this.digest = sha256(token);
  }

  /** The token in the file, or empty when no file is configured (an open, loopback-only API). */
  static Optional<BearerToken> read(Optional<Path> file) throws IOException {
    if (file.isEmpty()) {
      return Optional.empty();
    }
    String token;
    try {
      token = Files.readString(file.get(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IOException("vigil.api.token-file: cannot read " + file.get() + ": " + e, e);
    }
    if (token.isEmpty()) {
      // Config validation refuses an empty file; it was emptied since. An empty token would
      // let anyone in.
      throw new IOException("vigil.api.token-file: " + file.get() + " is empty");
    }
    return Optional.of(new BearerToken(token));
  }

  static BearerToken of(String token) {
    return new BearerToken(token);
  }

  boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(digest, sha256(presented));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}

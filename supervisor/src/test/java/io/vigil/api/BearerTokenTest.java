package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {
  @TempDir Path dir;

  @Test
  void readsTheTrimmedTokenAndComparesExactly() throws IOException {
    // Given a token file with a trailing newline, as `echo` writes it
    Path file = dir.resolve("token");
    Files.writeString(file, "  s3cret-token\n");

    BearerToken token = BearerToken.read(Optional.of(file)).orElseThrow();

    // Then only the exact token matches
    assertTrue(token.matches("s3cret-token"));
    assertFalse(token.matches("s3cret-token "));
    assertFalse(token.matches("s3cret"));
    assertFalse(token.matches("s3cret-token-and-more"));
    assertFalse(token.matches(""));
    assertFalse(token.matches(null));
  }

  @Test
  void noFileMeansNoToken() throws IOException {
    assertTrue(BearerToken.read(Optional.empty()).isEmpty());
  }

  @Test
  void anEmptiedOrMissingFileRefusesToStart() throws IOException {
    Path empty = dir.resolve("empty");
    Files.writeString(empty, " \n");
    assertTrue(assertThrows(IOException.class, () -> BearerToken.read(Optional.of(empty)))
        .getMessage().contains("is empty"));
    assertTrue(assertThrows(IOException.class,
        () -> BearerToken.read(Optional.of(dir.resolve("missing")))).getMessage()
        .startsWith("vigil.api.token-file: cannot read"));
  }
}

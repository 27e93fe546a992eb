package io.vigil.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputTailTest {

  @TempDir Path dir;

  @Test
  void keepsOnlyTheLastBytes() throws IOException {
    // Given
    Path file = Files.writeString(dir.resolve("out"), "0123456789abcdef");

    // When / Then
    assertEquals("cdef", OutputTail.read(file, 4));
    assertEquals("0123456789abcdef", OutputTail.read(file, 512));
  }

  @Test
  void emptyFileGivesEmptyTail() throws IOException {
    assertEquals("", OutputTail.read(Files.createFile(dir.resolve("empty")), 512));
  }

  @Test
  void characterCutInHalfBecomesReplacement() throws IOException {
    // Given: "é" is two bytes in UTF-8; keep only its second byte and the 'x'.
    Path file = Files.writeString(dir.resolve("utf8"), "éx");

    // When / Then
    assertEquals("\uFFFDx", OutputTail.read(file, 2));
  }
}

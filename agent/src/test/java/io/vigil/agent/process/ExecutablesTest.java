package io.vigil.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {

  @TempDir Path dir;
  private Path bin;
  private Path tool;

  @BeforeEach
  void createFiles() throws IOException {
    bin = Files.createDirectories(dir.resolve("bin"));
    tool = executable(bin.resolve("tool"));
    Files.writeString(bin.resolve("notes"), "not executable");
    Files.createDirectories(bin.resolve("adir"));
  }

  private static Path executable(Path file) throws IOException {
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void searchesPathInOrder() throws IOException {
    // Given
    Path other = Files.createDirectories(dir.resolve("other"));
    Path shadow = executable(other.resolve("tool"));

    // When / Then
    assertEquals(Optional.of(tool), Executables.resolve("tool", dir, bin + ":" + other));
    assertEquals(Optional.of(shadow), Executables.resolve("tool", dir, other + ":" + bin));
  }

  @Test
  void resolvesNamesWithSlashAgainstWorkingDir() {
    assertEquals(Optional.of(tool), Executables.resolve("bin/tool", dir, "/nowhere"));
    assertEquals(Optional.of(tool), Executables.resolve(tool.toString(), Path.of("/"), null));
  }

  @Test
  void emptyPathEntryMeansWorkingDir() {
    assertEquals(Optional.of(tool), Executables.resolve("tool", bin, "/nowhere::/either"));
  }

  @Test
  void rejectsMissingNonExecutableAndDirectories() {
    assertEquals(Optional.empty(), Executables.resolve("missing", dir, bin.toString()));
    assertEquals(Optional.empty(), Executables.resolve("notes", dir, bin.toString()));
    assertEquals(Optional.empty(), Executables.resolve("adir", dir, bin.toString()));
    assertEquals(Optional.empty(), Executables.resolve("", dir, bin.toString()));
  }
}

package io.vigil.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every file in config/valid (must load) and config/invalid (must fail with exactly the lines
 * of NAME.expected, file names shown relative to config/invalid).
 */
class ConfigFilesTest {

  static Stream<Path> validFiles() throws IOException {
    return confFiles(TestConfigs.dir("valid"));
  }

  static Stream<Path> invalidFiles() throws IOException {
    return confFiles(TestConfigs.dir("invalid"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFiles")
  void validFileLoads(Path file) throws Exception {
    // Given a valid file / When it is loaded
    VigilConfig config = TestConfigs.load(file);

    // Then it is read, with its source recorded
    assertEquals(file.toAbsolutePath().normalize().toString(), config.source());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFiles")
  void invalidFileReportsExactlyTheExpectedProblems(Path file) throws Exception {
    // Given an invalid file and the problems it must produce
    Path expectedFile = Path.of(file.toString().replaceAll("\\.conf$", ".expected"));
    assertTrue(Files.exists(expectedFile), "missing " + expectedFile.getFileName());
    List<String> expected = Files.readAllLines(expectedFile);

    // When it is loaded
    ConfigInvalidException e =
        assertThrows(ConfigInvalidException.class, () -> TestConfigs.load(file));

    // Then every problem is reported, in order, and nothing else
    String dir = file.getParent().toAbsolutePath().normalize() + "/";
    List<String> actual = e.problems().stream().map(p -> p.toString().replace(dir, "")).toList();
    assertEquals(String.join("\n", expected), String.join("\n", actual));
  }

  private static Stream<Path> confFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".conf")).sorted().toList().stream();
    }
  }
}

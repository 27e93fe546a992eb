package io.vigil.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every configuration shipped in config/ and config/examples/ loads without a problem. */
class ShippedConfigsTest {
  // Maven runs the tests in the module directory (supervisor/); config/ is beside it.
  private static final Path CONFIG = Path.of("..", "config").toAbsolutePath().normalize();

  static Stream<Path> shippedFiles() throws IOException {
    assertTrue(Files.isDirectory(CONFIG), "no config directory at " + CONFIG);
    try (Stream<Path> top = Files.list(CONFIG);
        Stream<Path> examples = Files.list(CONFIG.resolve("examples"))) {
      return Stream.concat(top, examples)
          .filter(f -> f.toString().endsWith(".conf")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedFiles")
  void shippedFileLoads(Path file) {
    // Given a shipped file and the runtime values the command line passes
    try {
      // When it is loaded
      VigilConfig config = TestConfigs.load(file);

      // Then it has services and no problem
      assertFalse(config.services().isEmpty(), "no services in " + file);
    } catch (ConfigInvalidException e) {
      fail(file + " has problems:\n" + String.join("\n",
          e.problems().stream().map(Problem::toString).toList()));
    }
  }
}

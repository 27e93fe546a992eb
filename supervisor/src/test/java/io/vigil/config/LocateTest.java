package io.vigil.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file is used: --config, then $VIGIL_CONFIG, then /etc/vigil if present, then the repo's. */
class LocateTest {
  @TempDir Path dir;

  private Path etc() throws Exception {
    return Files.writeString(dir.resolve("etc-vigil.conf"), "");
  }

  private Path repo() {
    return dir.resolve("repo-vigil.conf");
  }

  @Test
  void flagWinsOverEverything() throws Exception {
    // Given a flag, an environment variable and an existing /etc file
    Optional<Path> flag = Optional.of(Path.of("flag.conf"));

    // When the file is located / Then the flag wins
    assertEquals(Path.of("flag.conf"),
        ConfigLoader.locate(flag, Map.of("VIGIL_CONFIG", "env.conf"), etc(), repo()));
  }

  @Test
  void environmentWinsOverDefaults() throws Exception {
    // Given no flag but $VIGIL_CONFIG / When located / Then the variable wins
    assertEquals(Path.of("env.conf"), ConfigLoader.locate(
        Optional.empty(), Map.of("VIGIL_CONFIG", "env.conf"), etc(), repo()));
  }

  @Test
  void blankEnvironmentVariableIsIgnored() throws Exception {
    // Given VIGIL_CONFIG set to blanks / When located / Then the defaults apply
    assertEquals(etc(), ConfigLoader.locate(
        Optional.empty(), Map.of("VIGIL_CONFIG", " "), etc(), repo()));
  }

  @Test
  void etcDefaultWhenItExists() throws Exception {
    // Given neither flag nor variable, and an /etc file / When located / Then /etc is used
    assertEquals(etc(), ConfigLoader.locate(Optional.empty(), Map.of(), etc(), repo()));
  }

  @Test
  void repoDefaultWhenEtcIsMissing() {
    // Given nothing else / When located / Then the checkout's config/vigil.conf is used
    Path missingEtc = dir.resolve("absent.conf");
    assertEquals(repo(), ConfigLoader.locate(Optional.empty(), Map.of(), missingEtc, repo()));
  }
}

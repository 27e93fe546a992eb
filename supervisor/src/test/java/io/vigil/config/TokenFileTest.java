package io.vigil.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
  @TempDir Path dir;

  private Path config(String api) throws Exception {
    Path file = dir.resolve("vigil.conf");
    Files.writeString(file, "vigil {\n  api { " + api + " }\n}\nservices { web { command = [sleep, \"1\"] } }\n");
    return file;
  }

  private List<String> problems(Path file) {
    ConfigInvalidException e = assertThrows(ConfigInvalidException.class,
        () -> ConfigLoader.load(file, Map.of()));
    return e.problems().stream().map(p -> p.toString().replace(dir + "/", "")).toList();
  }

  @Test
  void tokenFileReadableByOthersIsRefused() throws Exception {
    // Given a token file with mode 0644
    Path token = Files.writeString(dir.resolve("token"), "s3cret\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    // When the config naming it is loaded, Then it is refused with the fix
    assertEquals(List.of("vigil.conf:2: vigil.api.token-file: token"
            + " is readable by others (mode rw-r--r--); run: chmod 600 token"),
        problems(config("token-file = token")));
  }

  @Test
  void missingTokenFileIsRefused() throws Exception {
    assertEquals(List.of("vigil.conf:2: vigil.api.token-file: no such file: nope"),
        problems(config("token-file = nope")));
  }

  @Test
  void ownerOnlyTokenFileAllowsANonLoopbackAddress() throws Exception {
    // Given a 0600 token file and a public address
    Path token = Files.writeString(dir.resolve("token"), "s3cret\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    // When loaded, Then it is accepted
    VigilConfig config = ConfigLoader.load(
        config("listen = \"0.0.0.0:9650\", token-file = token"), Map.of());
    assertEquals(new ListenAddress("0.0.0.0", 9650), config.daemon().api().listen());
    assertEquals(Optional.of(token), config.daemon().api().tokenFile());
  }
}

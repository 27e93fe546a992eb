package io.vigil.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads a java argument file as the launcher does for plain options: '#' comments, spaces. */
final class JvmOptions {
  private JvmOptions() {}

  static List<String> read(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .map(line -> line.replaceFirst("#.*", "").strip())
        .filter(line -> !line.isEmpty())
        .flatMap(line -> Arrays.stream(line.split("\\s+")))
        .toList();
  }
}

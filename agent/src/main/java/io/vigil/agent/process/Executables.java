package io.vigil.agent.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the file {@code execvp(3)} would run, so a missing executable is reported at launch with
 * a clear message instead of as exit code 127 in a log file. Stateless.
 */
final class Executables {

  /** glibc's default when PATH is unset (confstr _CS_PATH). */
  static final String DEFAULT_PATH = "/bin:/usr/bin";

  private Executables() {}

  /**
   * A name with a '/' is taken relative to {@code workingDir}; any other name is searched in
   * {@code path} (null = default), where an empty entry means the working directory.
   */
  static Optional<Path> resolve(String program, Path workingDir, String path) {
    if (program.isEmpty()) {
      return Optional.empty();
    }
    if (program.contains("/")) {
      return runnable(workingDir.resolve(program));
    }
    for (String dir : (path == null ? DEFAULT_PATH : path).split(":", -1)) {
      Path base = dir.isEmpty() ? workingDir : workingDir.resolve(dir);
      Optional<Path> found = runnable(base.resolve(program));
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> runnable(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file)
        ? Optional.of(file)
        : Optional.empty();
  }
}

package io.vigil.agent.logs;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a process's logs live: {@code <dir>/<name>.out.log} for stdout and {@code
 * <dir>/<name>.err.log} for stderr; rotated copies add {@code .1}, {@code .2}... (newest first).
 */
public record LogFiles(Path out, Path err) {

  public static LogFiles of(Path dir, String name) {
    return new LogFiles(dir.resolve(name + ".out.log"), dir.resolve(name + ".err.log"));
  }

  public List<Path> both() {
    return List.of(out, err);
  }

  /** The {@code n}-th rotated copy of {@code file}; n = 1 is the newest. */
  public static Path rotated(Path file, int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }
}

package io.vigil.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to start one process in its own session and process group.
 *
 * @param command argv, never empty
 * @param workingDir directory to start in
 * @param env variables added to (and overriding) Vigil's own environment
 * @param user user to run as when Vigil runs as root; empty = Vigil's own user
 * @param logDir directory of the process's log files
 * @param logName base name: stdout goes to {@code logName.out.log}, stderr to {@code logName.err.log}
 */
public record LaunchSpec(
    List<String> command,
    Path workingDir,
    Map<String, String> env,
    Optional<String> user,
    Path logDir,
    String logName) {

  public LaunchSpec {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
  }
}

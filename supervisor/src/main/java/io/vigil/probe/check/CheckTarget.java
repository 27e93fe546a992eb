package io.vigil.probe.check;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Where a check goes: the instance's host and port for network checks, its working directory and
 * environment for exec checks.
 *
 * @param host an IP literal such as {@code "127.0.0.1"}; a name would be resolved by the JDK's
 *     blocking resolver on the probe event loop
 * @param instancePort the instance's own port, used when the check names no port
 */
public record CheckTarget(
    String host, OptionalInt instancePort, Path workingDir, Map<String, String> env) {

  public CheckTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(instancePort, "instancePort");
    Objects.requireNonNull(workingDir, "workingDir");
    env = Map.copyOf(env);
  }

  /** The check's own port when it names one, else the instance's port; empty when neither. */
  public OptionalInt portFor(OptionalInt checkPort) {
    return checkPort.isPresent() ? checkPort : instancePort;
  }
}

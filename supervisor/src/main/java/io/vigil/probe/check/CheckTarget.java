package io.vigil.probe.check;

import io.vigil.agent.ProcessIdentity;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a check goes: the instance's host and port for network checks, its working directory and
 * environment for exec checks.
 *
 * @param host an IP literal such as {@code "127.0.0.1"}; a name would be resolved by the JDK's
 *     blocking resolver on the probe event loop
 * @param instancePort the instance's own port, used when the check names no port
 * @param process the instance's process being checked, when known: a kept-alive HTTP connection
 *     is only reused by checks of the same process, so an instance restarted on the same port
 *     never gets a connection to its predecessor
 */
public record CheckTarget(String host, OptionalInt instancePort, Path workingDir,
    Map<String, String> env, Optional<ProcessIdentity> process) {

  public CheckTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(instancePort, "instancePort");
    Objects.requireNonNull(workingDir, "workingDir");
    Objects.requireNonNull(process, "process");
    env = Map.copyOf(env);
  }

  /** A target whose process is not known. */
  public CheckTarget(
      String host, OptionalInt instancePort, Path workingDir, Map<String, String> env) {
    this(host, instancePort, workingDir, env, Optional.empty());
  }

  /** The check's own port when it names one, else the instance's port; empty when neither. */
  public OptionalInt portFor(OptionalInt checkPort) {
    return checkPort.isPresent() ? checkPort : instancePort;
  }
}

package io.vigil.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The facade the supervisor calls for everything that touches the host. Thread-safe.
 *
 * <p>Every process is started in its own session and process group, with stdout and stderr
 * appended to files (never piped into the JVM, so a Vigil crash cannot kill instances by
 * SIGPIPE). Signals go to the whole group.
 */
public interface Agent extends AutoCloseable {

  /** Starts a process in its own session and process group. */
  RunningProcess launch(LaunchSpec spec) throws LaunchException;

  /**
   * Re-attaches to a process started by an earlier Vigil run. Empty when no process has that pid
   * or its start time differs (the pid was reused).
   */
  Optional<RunningProcess> adopt(ProcessIdentity identity);

  /** Sends a signal to the process group; a group that is already gone is not an error. */
  void signalGroup(ProcessIdentity identity, Signal signal);

  /**
   * Sends {@code signal} to the group, waits up to {@code grace} for the main process and every
   * member of the group to end, then sends SIGKILL to the group. Completes when the group is gone.
   */
  CompletableFuture<ExitStatus> stop(RunningProcess process, Signal signal, Duration grace);

  /** Runs a short command in its own process group; on timeout the group is killed. */
  CompletableFuture<ExecResult> exec(
      List<String> command, Path workingDir, Map<String, String> env, Duration timeout);

  /** Samples one process; empty when it is gone. */
  Optional<ProcessSample> sample(ProcessIdentity identity);

  /** Samples the host; CPU use is measured since the previous call (0 on the first call). */
  HostSample sampleHost();

  /**
   * Periodic upkeep: rotates log files over their size limit and reaps orphaned descendants that
   * were re-parented to Vigil. Never throws for a single bad file.
   */
  void housekeeping();

  /** The paths of the stdout and stderr logs of a launch spec's log name (current files). */
  List<Path> logFiles(Path logDir, String logName);

  @Override
  void close();
}

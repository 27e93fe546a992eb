package io.vigil.it;

import io.vigil.agent.LaunchException;
import io.vigil.agent.LaunchSpec;
import io.vigil.agent.ProcessIdentity;
import io.vigil.agent.RunningProcess;
import io.vigil.agent.Signal;
import io.vigil.agent.process.LinuxAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One agent for a test class plus the processes its tests started; {@link #killAll()} in
 * {@code @AfterEach} makes sure none of them outlives its test.
 */
final class Fixture implements AutoCloseable {

  final LinuxAgent agent;
  private final List<RunningProcess> started = new ArrayList<>();
  private final List<ProcessIdentity> leaders = new ArrayList<>();

  Fixture(long logMaxBytes, int logKeep) {
    agent = new LinuxAgent(logMaxBytes, logKeep);
  }

  Fixture() {
    this(1 << 20, 2);
  }

  /** {@code sh -c script} in {@code dir}, logging to {@code dir/logs/svc.*.log}. */
  RunningProcess sh(Path dir, String script) throws LaunchException {
    return launch(spec(dir, List.of("sh", "-c", script), Map.of(), Optional.empty()));
  }

  RunningProcess launch(LaunchSpec spec) throws LaunchException {
    RunningProcess process = agent.launch(spec);
    started.add(process);
    return process;
  }

  /** An adopted process is stopped after the test like a launched one. */
  void track(RunningProcess process) {
    started.add(process);
  }

  /** A group leader a test's shell started on its own; killed after the test if still there. */
  void track(ProcessIdentity leader) {
    leaders.add(leader);
  }

  static LaunchSpec spec(
      Path dir, List<String> command, Map<String, String> env, Optional<String> user) {
    return new LaunchSpec(command, dir, env, user, dir.resolve("logs"), "svc");
  }

  static Path out(Path dir) {
    return dir.resolve("logs/svc.out.log");
  }

  static Path err(Path dir) {
    return dir.resolve("logs/svc.err.log");
  }

  void killAll() throws Exception {
    for (ProcessIdentity leader : leaders) {
      agent.adopt(leader).ifPresent(started::add);
    }
    leaders.clear();
    for (RunningProcess process : started) {
      agent.stop(process, Signal.KILL, Duration.ZERO).get(5, TimeUnit.SECONDS);
    }
    started.clear();
  }

  @Override
  public void close() {
    agent.close();
  }
}

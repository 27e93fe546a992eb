package io.vigil.probe.check;

import io.vigil.agent.Agent;
import io.vigil.agent.ExecResult;
import io.vigil.agent.ExitStatus;
import io.vigil.agent.HostSample;
import io.vigil.agent.LaunchSpec;
import io.vigil.agent.ProcessIdentity;
import io.vigil.agent.ProcessSample;
import io.vigil.agent.RunningProcess;
import io.vigil.agent.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A hand-written {@link Agent} for check tests: {@code exec} answers with the result the test set
 * and records what it was asked; everything else is not faked and throws.
 */
public final class FakeAgent implements Agent {

  /** One call to {@link #exec}. */
  public record ExecCall(
      List<String> command, Path workingDir, Map<String, String> env, Duration timeout) {}

  private CompletableFuture<ExecResult> nextExec =
      CompletableFuture.completedFuture(new ExecResult(ExitStatus.exited(0), false, ""));
  private ExecCall lastExec;

  public FakeAgent answerExec(ExecResult result) {
    nextExec = CompletableFuture.completedFuture(result);
    return this;
  }

  public FakeAgent failExec(Throwable error) {
    nextExec = CompletableFuture.failedFuture(error);
    return this;
  }

  public ExecCall lastExec() {
    return lastExec;
  }

  @Override
  public CompletableFuture<ExecResult> exec(
      List<String> command, Path workingDir, Map<String, String> env, Duration timeout) {
    lastExec = new ExecCall(command, workingDir, env, timeout);
    return nextExec;
  }

  @Override
  public RunningProcess launch(LaunchSpec spec) {
    throw notFaked();
  }

  @Override
  public Optional<RunningProcess> adopt(ProcessIdentity identity) {
    throw notFaked();
  }

  @Override
  public void signalGroup(ProcessIdentity identity, Signal signal) {
    throw notFaked();
  }

  @Override
  public CompletableFuture<ExitStatus> stop(RunningProcess process, Signal signal, Duration grace) {
    throw notFaked();
  }

  @Override
  public Optional<ProcessSample> sample(ProcessIdentity identity) {
    throw notFaked();
  }

  @Override
  public HostSample sampleHost() {
    throw notFaked();
  }

  @Override
  public void housekeeping() {
    throw notFaked();
  }

  @Override
  public List<Path> logFiles(Path logDir, String logName) {
    throw notFaked();
  }

  @Override
  public void close() {}

  private static UnsupportedOperationException notFaked() {
    return new UnsupportedOperationException("FakeAgent fakes exec only");
  }
}

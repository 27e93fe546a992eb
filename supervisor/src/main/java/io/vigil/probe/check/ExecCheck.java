package io.vigil.probe.check;

import io.vigil.agent.Agent;
import io.vigil.agent.ExecResult;
import io.vigil.agent.LaunchException;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An exec check, as the kubelet's exec probe: the command runs through the agent in the
 * instance's working directory and environment; exit code 0 within the timeout is success. The
 * agent owns the process and its timeout, so this class holds no thread. Thread-safe.
 */
final class ExecCheck {
  private final Agent agent;

  ExecCheck(Agent agent) {
    this.agent = agent;
  }

  CompletableFuture<CheckOutcome> check(CheckSpec.Exec spec, CheckTarget target, Duration timeout) {
    return agent
        .exec(spec.command(), target.workingDir(), target.env(), timeout)
        .handle(
            (result, error) ->
                error == null ? outcomeOf(result, timeout) : launchFailure(error));
  }

  static CheckOutcome outcomeOf(ExecResult result, Duration timeout) {
    if (result.timedOut()) {
      return CheckOutcome.failure(Detail.timedOut(timeout));
    }
    String detail = result.status().describe();
    if (result.status().success()) {
      return CheckOutcome.success(detail);
    }
    String lastLine = Detail.lastLine(result.outputTail());
    return CheckOutcome.failure(lastLine.isEmpty() ? detail : detail + ": " + lastLine);
  }

  /**
   * A command that cannot start (missing executable, bad directory) is the target's fault, like a
   * refused connection; any other error from the agent is a bug and stays exceptional.
   */
  private static CheckOutcome launchFailure(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
    if (cause instanceof LaunchException) {
      return CheckOutcome.failure("exec: " + Detail.truncate(String.valueOf(cause.getMessage())));
    }
    throw error instanceof CompletionException completion
        ? completion
        : new CompletionException(cause);
  }
}

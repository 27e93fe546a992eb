package io.vigil.agent.process;

import io.vigil.agent.ExitStatus;
import io.vigil.agent.ProcessIdentity;
import io.vigil.agent.RunningProcess;
import java.util.concurrent.CompletableFuture;

/**
 * A process the agent launched or adopted. {@link #onExit()} hands out copies, so a caller that
 * completes or cancels its future cannot fake an exit for anyone else. Immutable.
 */
final class TrackedProcess implements RunningProcess {

  private final ProcessIdentity identity;
  private final CompletableFuture<ExitStatus> exit;
  private final boolean adopted;

  TrackedProcess(ProcessIdentity identity, CompletableFuture<ExitStatus> exit, boolean adopted) {
    this.identity = identity;
    this.exit = exit;
    this.adopted = adopted;
  }

  @Override
  public ProcessIdentity identity() {
    return identity;
  }

  @Override
  public CompletableFuture<ExitStatus> onExit() {
    return exit.copy();
  }

  @Override
  public boolean adopted() {
    return adopted;
  }

  @Override
  public String toString() {
    return (adopted ? "adopted " : "") + "process " + identity.pid();
  }
}

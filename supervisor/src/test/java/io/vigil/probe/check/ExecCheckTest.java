package io.vigil.probe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.agent.ExecResult;
import io.vigil.agent.ExitStatus;
import io.vigil.agent.LaunchException;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ExecCheckTest {
  private static final CheckSpec.Exec SPEC = new CheckSpec.Exec(List.of("pg_isready", "-q"));
  private static final Path DIR = Path.of("/srv/db");
  private static final Map<String, String> ENV = Map.of("PGPORT", "5433");
  private static final CheckTarget TARGET =
      new CheckTarget("127.0.0.1", OptionalInt.empty(), DIR, ENV);
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final FakeAgent agent = new FakeAgent();
  private final ExecCheck check = new ExecCheck(agent);

  @Test
  void exitZeroIsSuccessAndRunsInTheTargetsDirAndEnv() {
    // Given
    agent.answerExec(new ExecResult(ExitStatus.exited(0), false, "accepting connections\n"));

    // When
    CheckOutcome outcome = check.check(SPEC, TARGET, TIMEOUT).join();

    // Then
    assertEquals(CheckOutcome.success("exit code 0"), outcome);
    assertEquals(
        new FakeAgent.ExecCall(SPEC.command(), DIR, ENV, TIMEOUT),
        agent.lastExec());
  }

  @Test
  void nonZeroExitIsFailureWithTheLastLineOfOutput() {
    // Given
    agent.answerExec(
        new ExecResult(ExitStatus.exited(2), false, "checking...\nno response from server\n\n"));

    // When
    CheckOutcome outcome = check.check(SPEC, TARGET, TIMEOUT).join();

    // Then
    assertEquals(CheckOutcome.failure("exit code 2: no response from server"), outcome);
  }

  @Test
  void nonZeroExitWithoutOutputIsJustTheCode() {
    // Given
    agent.answerExec(new ExecResult(ExitStatus.exited(1), false, ""));

    // When / Then
    assertEquals(CheckOutcome.failure("exit code 1"), check.check(SPEC, TARGET, TIMEOUT).join());
  }

  @Test
  void killedBySignalIsFailure() {
    // Given
    agent.answerExec(new ExecResult(ExitStatus.killed(9), false, null));

    // When / Then
    assertEquals(
        CheckOutcome.failure("killed by SIGKILL"), check.check(SPEC, TARGET, TIMEOUT).join());
  }

  @Test
  void timedOutIsFailureNamingTheTimeout() {
    // Given
    agent.answerExec(new ExecResult(ExitStatus.killed(9), true, "still working"));

    // When
    CheckOutcome outcome = check.check(SPEC, TARGET, Duration.ofMillis(1500)).join();

    // Then
    assertEquals(CheckOutcome.failure("timed out after 1500ms"), outcome);
  }

  @Test
  void commandThatCannotStartIsATargetFault() {
    // Given
    agent.failExec(new LaunchException("cannot run pg_isready: No such file or directory"));

    // When
    CheckOutcome outcome = check.check(SPEC, TARGET, TIMEOUT).join();

    // Then
    assertEquals(
        CheckOutcome.failure("exec: cannot run pg_isready: No such file or directory"), outcome);
  }

  @Test
  void anyOtherAgentErrorIsOurBugAndStaysExceptional() {
    // Given
    IllegalStateException bug = new IllegalStateException("agent closed");
    agent.failExec(bug);

    // When
    CompletionException thrown =
        assertThrows(CompletionException.class, () -> check.check(SPEC, TARGET, TIMEOUT).join());

    // Then
    assertEquals(bug, thrown.getCause());
  }
}

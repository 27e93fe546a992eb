package io.vigil.probe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.ExecResult;
import io.vigil.agent.ExitStatus;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dispatch and the checks that need no socket; the socket paths are in io.vigil.it. */
@Timeout(10)
class CheckersTest {
  private static final CheckTarget NO_PORT =
      new CheckTarget("127.0.0.1", OptionalInt.empty(), Path.of("."), Map.of());
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final FakeAgent agent = new FakeAgent();
  private final Checkers checkers = new Checkers(agent);

  @AfterEach
  void close() {
    checkers.close();
  }

  @Test
  void httpAndTcpWithoutAnyPortFailWithoutConnecting() {
    // When
    CheckSpec.Http httpSpec = new CheckSpec.Http("/", OptionalInt.empty(), Map.of(), true);
    CheckOutcome http = checkers.check(httpSpec, NO_PORT, TIMEOUT).join();
    CheckOutcome tcp =
        checkers.check(new CheckSpec.Tcp(OptionalInt.empty()), NO_PORT, TIMEOUT).join();

    // Then
    assertEquals(CheckOutcome.failure("no port"), http);
    assertEquals(CheckOutcome.failure("no port"), tcp);
  }

  @Test
  void execGoesThroughTheAgent() {
    // Given
    agent.answerExec(new ExecResult(ExitStatus.exited(3), false, "degraded"));

    // When
    CheckOutcome outcome =
        checkers.check(new CheckSpec.Exec(List.of("check.sh")), NO_PORT, TIMEOUT).join();

    // Then
    assertEquals(CheckOutcome.failure("exit code 3: degraded"), outcome);
    assertEquals(List.of("check.sh"), agent.lastExec().command());
  }

  @Test
  void aCheckAfterCloseIsOurBugNotAFailedTarget() {
    // Given
    checkers.close();
    CheckTarget target = new CheckTarget("127.0.0.1", OptionalInt.of(9), Path.of("."), Map.of());

    // When
    CompletionException thrown =
        assertThrows(
            CompletionException.class,
            () -> checkers.check(new CheckSpec.Tcp(OptionalInt.empty()), target, TIMEOUT).join());

    // Then
    assertTrue(thrown.getCause() instanceof RuntimeException, String.valueOf(thrown.getCause()));
  }

  @Test
  void theChecksPortWinsOverTheInstancePort() {
    CheckTarget target = new CheckTarget("127.0.0.1", OptionalInt.of(8080), Path.of("."), Map.of());

    assertEquals(OptionalInt.of(9090), target.portFor(OptionalInt.of(9090)));
    assertEquals(OptionalInt.of(8080), target.portFor(OptionalInt.empty()));
  }
}

package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.ExecResult;
import io.vigil.agent.ExitStatus;
import io.vigil.agent.LaunchException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every exec here ends (or is killed by the agent) before its test returns. */
class ExecIT {

  private static Fixture fixture;

  @TempDir Path dir;

  @BeforeAll
  static void startAgent() {
    fixture = new Fixture();
  }

  @AfterAll
  static void closeAgent() {
    fixture.close();
  }

  private ExecResult exec(String script, Duration timeout) throws Exception {
    return fixture
        .agent
        .exec(List.of("sh", "-c", script), dir, Map.of("GREETING", "hi"), timeout)
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void reportsStatusAndOutput() throws Exception {
    // When
    ExecResult result = exec("echo $GREETING; echo oops >&2; exit 2", Duration.ofSeconds(5));

    // Then
    assertEquals(new ExecResult(ExitStatus.exited(2), false, "hi\noops\n"), result);
  }

  @Test
  void keepsOnlyTheTailOfLongOutput() throws Exception {
    // When
    ExecResult result =
        exec("i=0; while [ $i -lt 300 ]; do echo line$i; i=$((i+1)); done", Duration.ofSeconds(5));

    // Then
    assertTrue(result.outputTail().length() <= 512, "tail of " + result.outputTail().length());
    assertTrue(result.outputTail().endsWith("line298\nline299\n"));
  }

  @Test
  void killsTheWholeGroupOnTimeout() throws Exception {
    // Given
    Path pgidFile = dir.resolve("pgid");
    long start = System.nanoTime();

    // When
    ExecResult result =
        exec("echo $$ > " + pgidFile + "; sleep 300 & sleep 300", Duration.ofMillis(300));

    // Then
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(result.timedOut());
    assertEquals(ExitStatus.killed(9), result.status());
    assertTrue(took >= 250 && took < 3000, "took " + took + " ms");
    long pgid = Long.parseLong(Procs.read(pgidFile).trim());
    assertEquals(List.of(), Procs.groupMembers(pgid));
    assertEquals(List.of(), Procs.zombieChildren());
  }

  @Test
  void killsWhatTheCommandLeftBehind() throws Exception {
    // Given
    Path pgidFile = dir.resolve("pgid");

    // When
    ExecResult result = exec("echo $$ > " + pgidFile + "; sleep 300 & exit 0", Duration.ofSeconds(5));

    // Then
    assertFalse(result.timedOut());
    assertEquals(ExitStatus.exited(0), result.status());
    assertEquals(List.of(), Procs.groupMembers(Long.parseLong(Procs.read(pgidFile).trim())));
  }

  @Test
  void missingCommandFailsWithLaunchException() {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                fixture
                    .agent
                    .exec(List.of("no-such-probe-x"), dir, Map.of(), Duration.ofSeconds(1))
                    .get(5, TimeUnit.SECONDS));

    assertInstanceOf(LaunchException.class, e.getCause());
  }
}

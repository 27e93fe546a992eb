package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.ExitStatus;
import io.vigil.agent.RunningProcess;
import io.vigil.agent.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StopIT {

  private static final Duration READY = Duration.ofSeconds(5);

  private static Fixture fixture;

  @TempDir Path dir;

  @BeforeAll
  static void startAgent() {
    fixture = new Fixture();
  }

  @AfterEach
  void killStarted() throws Exception {
    fixture.killAll();
  }

  @AfterAll
  static void closeAgent() {
    fixture.close();
  }

  /** Starts {@code script}, then waits until it has printed "ready" (traps set, children up). */
  private RunningProcess ready(String script) throws Exception {
    RunningProcess process = fixture.sh(dir, script);
    Procs.awaitLine(Fixture.out(dir), READY);
    return process;
  }

  private static void assertGroupGone(long pgid) {
    assertEquals(List.of(), Procs.groupMembers(pgid), "members of group " + pgid);
    assertEquals(List.of(), Procs.zombieChildren(), "zombie children of the JVM");
  }

  // QUIT too: a child of a JVM thread, which blocks SIGQUIT, must not inherit that block.
  @ParameterizedTest
  @EnumSource(value = Signal.class, names = {"TERM", "QUIT"})
  void stopsWithTheSignalWellBeforeTheGrace(Signal signal) throws Exception {
    // Given
    RunningProcess process = fixture.sh(dir, "exec sleep 300");
    long start = System.nanoTime();

    // When
    ExitStatus status =
        fixture.agent.stop(process, signal, Duration.ofSeconds(10)).get(5, TimeUnit.SECONDS);

    // Then: ended by the signal itself, not by the SIGKILL after the grace
    assertEquals(ExitStatus.killed(signal.number()), status);
    assertTrue(elapsedMillis(start) < 2000, "took " + elapsedMillis(start) + " ms");
    assertGroupGone(process.identity().pid());
  }

  @Test
  void killsAfterTheGraceWhenTermIsIgnored() throws Exception {
    // Given
    RunningProcess process = ready("trap '' TERM; echo ready; while :; do sleep 1; done");
    long start = System.nanoTime();

    // When
    ExitStatus status =
        fixture.agent.stop(process, Signal.TERM, Duration.ofMillis(500)).get(5, TimeUnit.SECONDS);

    // Then
    long took = elapsedMillis(start);
    assertEquals(ExitStatus.killed(9), status);
    assertTrue(took >= 450 && took < 2500, "took " + took + " ms");
    assertGroupGone(process.identity().pid());
  }

  @Test
  void stopsEveryMemberOfAForkingService() throws Exception {
    // Given
    RunningProcess process = ready("sleep 300 & sleep 300 & echo ready; wait");
    long pgid = process.identity().pid();
    assertEquals(3, Procs.groupMembers(pgid).size());

    // When
    ExitStatus status =
        fixture.agent.stop(process, Signal.TERM, Duration.ofSeconds(10)).get(5, TimeUnit.SECONDS);

    // Then
    assertEquals(ExitStatus.killed(15), status);
    assertGroupGone(pgid);
  }

  @Test
  void killsAndReapsChildrenThatOutliveTheirParent() throws Exception {
    // Given: the children ignore TERM, the shell does not. When the shell dies they are orphaned
    // and re-parented to the JVM (the agent made it a subreaper).
    RunningProcess process =
        ready("trap '' TERM; sleep 300 & sleep 300 & trap - TERM; echo ready; wait");
    long pgid = process.identity().pid();
    long start = System.nanoTime();

    // When
    CompletableFuture<ExitStatus> stop =
        fixture.agent.stop(process, Signal.TERM, Duration.ofMillis(500));

    // Then: the shell died of TERM, but the stop waited for the grace to kill the orphans.
    assertEquals(ExitStatus.killed(15), process.onExit().get(5, TimeUnit.SECONDS));
    Procs.await(
        () -> Procs.groupMembers(pgid).stream().allMatch(s -> s.ppid() == Procs.SELF),
        READY,
        "orphans re-parented to the JVM");
    assertEquals(ExitStatus.killed(15), stop.get(5, TimeUnit.SECONDS));
    assertTrue(elapsedMillis(start) >= 450, "took " + elapsedMillis(start) + " ms");
    assertGroupGone(pgid);
  }

  @Test
  void stopOfAnExitedProcessCompletesAtOnce() throws Exception {
    // Given
    RunningProcess process = fixture.sh(dir, "exit 4");
    process.onExit().get(5, TimeUnit.SECONDS);

    // When
    CompletableFuture<ExitStatus> stop =
        fixture.agent.stop(process, Signal.TERM, Duration.ofSeconds(30));

    // Then
    assertEquals(ExitStatus.exited(4), stop.get(1, TimeUnit.SECONDS));
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}

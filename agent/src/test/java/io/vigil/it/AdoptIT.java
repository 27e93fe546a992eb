package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.ExitStatus;
import io.vigil.agent.ProcessIdentity;
import io.vigil.agent.RunningProcess;
import io.vigil.agent.Signal;
import io.vigil.agent.process.ProcStat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adoption of processes that are not the JVM's children, as after a Vigil restart. A shell starts
 * {@code setsid sleep} in the background: the sleep leads its own group like an instance that an
 * earlier Vigil launched, and its parent is the shell (or, once the shell exits, the JVM as
 * subreaper), so the JDK never reaps it.
 */
class AdoptIT {

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

  /** The identity of a background {@code setsid sleep 300} started by {@code shell}. */
  private ProcessIdentity backgroundSleep(String shellEnd) throws Exception {
    fixture.sh(dir, "setsid sleep 300 & echo $!; " + shellEnd);
    long pid = Long.parseLong(Procs.awaitLine(Fixture.out(dir), READY));
    Procs.await(() -> isSleep(pid), READY, "setsid to exec sleep");
    ProcessIdentity identity = ProcStat.identityOf(pid).orElseThrow();
    fixture.track(identity);
    return identity;
  }

  private static boolean isSleep(long pid) {
    return Procs.read(Path.of("/proc", Long.toString(pid), "comm")).equals("sleep\n");
  }

  private RunningProcess adopt(ProcessIdentity identity) {
    RunningProcess adopted = fixture.agent.adopt(identity).orElseThrow();
    fixture.track(adopted);
    return adopted;
  }

  @Test
  void adoptsAMatchingProcessAndSeesItsExitAtOnce() throws Exception {
    // Given
    ProcessIdentity identity = backgroundSleep("wait");

    // When
    RunningProcess adopted = adopt(identity);
    long start = System.nanoTime();
    ProcessHandle.of(identity.pid()).orElseThrow().destroyForcibly();

    // Then: the pidfd fires at once. The JDK's polling for non-children would first look after
    // 300 ms (and later only every few seconds), so 250 ms tells the two apart.
    assertEquals(ExitStatus.unknown(), adopted.onExit().get(1, TimeUnit.SECONDS));
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(took < 250, "took " + took + " ms");
    assertTrue(adopted.adopted());
    assertEquals(identity, adopted.identity());
  }

  @Test
  void collectsTheRealStatusOfAnAdoptedOrphanOfTheJvm() throws Exception {
    // Given: the shell exits at once, so the sleep is re-parented to the JVM, which can then
    // wait for it like for a launched instance.
    ProcessIdentity identity = backgroundSleep("exit 0");
    Procs.await(
        () -> ProcStat.read(identity.pid()).orElseThrow().ppid() == Procs.SELF,
        READY,
        "re-parenting to the JVM");
    RunningProcess adopted = adopt(identity);

    // When
    ProcessHandle.of(identity.pid()).orElseThrow().destroyForcibly();

    // Then
    assertEquals(ExitStatus.killed(9), adopted.onExit().get(1, TimeUnit.SECONDS));
    assertEquals(Optional.empty(), ProcStat.read(identity.pid()), "zombie left behind");
  }

  @Test
  void stopsAnAdoptedProcess() throws Exception {
    // Given
    RunningProcess adopted = adopt(backgroundSleep("wait"));

    // When
    ExitStatus status =
        fixture.agent.stop(adopted, Signal.TERM, Duration.ofSeconds(5)).get(2, TimeUnit.SECONDS);

    // Then: the group empties; the sleep's zombie is there until its parent, the test's shell,
    // waits for it, which is not the agent's doing, so give the shell time
    assertEquals(ExitStatus.unknown(), status);
    long pgid = adopted.identity().pid();
    Procs.await(() -> Procs.groupMembers(pgid).isEmpty(), READY,
        "the stopped group " + pgid + " to be empty");
  }

  @Test
  void refusesAReusedPidAndAGoneProcess() throws Exception {
    // Given
    ProcessIdentity identity = backgroundSleep("wait");
    ProcessIdentity otherStart = new ProcessIdentity(identity.pid(), identity.startTicks() + 1);

    // When / Then
    assertEquals(Optional.empty(), fixture.agent.adopt(otherStart));
    assertEquals(Optional.empty(), fixture.agent.adopt(new ProcessIdentity(Integer.MAX_VALUE, 1)));
  }

  @Test
  void refusesAProcessThatIsNotItsGroupLeader() throws Exception {
    // Given: a plain background child shares the shell's group.
    fixture.sh(dir, "sleep 300 & echo $!; wait");
    long pid = Long.parseLong(Procs.awaitLine(Fixture.out(dir), READY));

    // When / Then
    assertEquals(
        Optional.empty(), fixture.agent.adopt(ProcStat.identityOf(pid).orElseThrow()));
  }
}

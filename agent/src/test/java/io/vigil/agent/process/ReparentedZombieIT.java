package io.vigil.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.ExitStatus;
import io.vigil.agent.LaunchException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The race a detached launch must survive, made certain: the instance exits while its helper is
 * still there, so it is first a zombie child of the helper, then re-parented to the JVM as a
 * zombie. Here in the package (not {@code io.vigil.it}) because the helper is a test's own and
 * the steps are the package's.
 */
class ReparentedZombieIT {

  private static final long SELF = ProcessHandle.current().pid();

  private final ChildReaper reaper = ChildReaper.shared();
  private ExitEvents exits;

  @BeforeEach
  void start() {
    ChildReaper.becomeSubreaper();
    exits = new ExitEvents(reaper, PidfdWatcher.start(Thread::new));
  }

  @AfterEach
  void stop() {
    exits.close();
  }

  /**
   * A helper whose background child exits with 7 after 100 ms, while the helper lingers 400 ms.
   * By then the helper is a {@code sleep}, which never reaps (a shell might, so the child must
   * outlive the shell's exec).
   */
  private static long spawnDyingChild() throws LaunchException {
    return spawn("sh -c 'sleep 0.1; exit 7' & echo $!; exec sleep 0.4");
  }

  /** A helper that exits at once, leaving a child that exits with 5 after 200 ms. */
  private static long spawnLivingChild() throws LaunchException {
    return spawn("sh -c 'sleep 0.2; exit 5' & echo $!");
  }

  /** Runs {@code script}, which prints the pid of a child it leaves; returns once it is gone. */
  private static long spawn(String script) throws LaunchException {
    try {
      Process helper = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
      String pid;
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(helper.getInputStream(), StandardCharsets.UTF_8))) {
        pid = out.readLine();
      }
      helper.waitFor();
      return Long.parseLong(pid.trim());
    } catch (IOException e) {
      throw new LaunchException("cannot start the test helper", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted", e);
    }
  }

  @Test
  void collectsTheStatusOfAChildReParentedAsAZombie() throws Exception {
    // Given: claimed in the same step as the helper ran, then handed over as a zombie.
    ChildReaper.Claim claim = reaper.spawnClaimed(ReparentedZombieIT::spawnDyingChild);
    ProcStat stat = ProcStat.read(claim.pid()).orElseThrow();
    assertTrue(stat.zombie() && stat.ppid() == SELF, "a zombie child of the JVM: " + stat);

    // When: a reap pass runs first, as housekeeping might.
    reaper.reapOrphans();

    // Then: the pass left the claimed zombie alone, and its pidfd (readable at once for a
    // zombie) leads to its real status.
    assertTrue(ProcStat.read(claim.pid()).isPresent(), "reaped as an orphan");
    assertEquals(ExitStatus.exited(7), exits.ofChild(claim).get(5, TimeUnit.SECONDS));
    assertEquals(Optional.empty(), ProcStat.read(claim.pid()), "zombie left behind");
  }

  @Test
  void withoutPidfdTheJdkReportsTheExitAndTheStatusIsStillReal() throws Exception {
    // Given: an agent on a kernel without pidfd_open, a zombie and a live child.
    ExitEvents jdkOnly = new ExitEvents(reaper, Optional.empty());
    ChildReaper.Claim zombie = reaper.spawnClaimed(ReparentedZombieIT::spawnDyingChild);
    ChildReaper.Claim living = reaper.spawnClaimed(ReparentedZombieIT::spawnLivingChild);

    // When / Then
    assertEquals(ExitStatus.exited(7), jdkOnly.ofChild(zombie).get(5, TimeUnit.SECONDS));
    assertEquals(ExitStatus.exited(5), jdkOnly.ofChild(living).get(5, TimeUnit.SECONDS));
    assertEquals(Optional.empty(), ProcStat.read(living.pid()), "zombie left behind");
    jdkOnly.close();
  }
}

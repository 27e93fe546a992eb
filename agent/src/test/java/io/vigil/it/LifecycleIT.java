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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Housekeeping reaps stray orphans; closing the agent leaves instances running. */
class LifecycleIT {

  private static final Duration READY = Duration.ofSeconds(5);

  private Fixture fixture;

  @TempDir Path dir;

  @BeforeEach
  void startAgent() {
    fixture = new Fixture();
  }

  @AfterEach
  void stop() throws Exception {
    fixture.killAll();
    fixture.close();
  }

  @Test
  void housekeepingReapsAnOrphanThatDiedOnItsOwn() throws Exception {
    // Given: the shell exits at once; its background sleep is re-parented to the JVM and, when it
    // ends on its own, nothing but housekeeping will wait for it. (A second: the shell must be
    // gone before the sleep ends, or the sleep dies as the shell's child, not the JVM's.)
    RunningProcess shell = fixture.sh(dir, "sleep 1 & echo $!");
    long orphan = Long.parseLong(Procs.awaitLine(Fixture.out(dir), READY));
    shell.onExit().get(5, TimeUnit.SECONDS);
    Procs.await(
        () -> ProcStat.read(orphan).map(s -> s.zombie() && s.ppid() == Procs.SELF).orElse(false),
        READY,
        "the orphan to die as the JVM's zombie");

    // When
    fixture.agent.housekeeping();

    // Then
    assertEquals(Optional.empty(), ProcStat.read(orphan));
  }

  @Test
  void closingTheAgentLeavesInstancesRunning() throws Exception {
    // Given
    RunningProcess process = fixture.sh(dir, "exec sleep 300");
    ProcessIdentity identity = process.identity();

    // When
    fixture.close();

    // Then: still there; the closed agent no longer reports its exit.
    assertEquals(Optional.of(identity), ProcStat.identityOf(identity.pid()));
    assertTrue(process.onExit().isCompletedExceptionally());
    // And a new agent (as after a restart of Vigil's control loop) can adopt and stop it. The
    // JVM is still its parent, so the new agent collects its real status.
    fixture = new Fixture();
    RunningProcess adopted = fixture.agent.adopt(identity).orElseThrow();
    fixture.track(adopted);
    assertEquals(
        ExitStatus.killed(15),
        fixture.agent.stop(adopted, Signal.TERM, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS));
    assertEquals(List.of(), Procs.zombieChildren());
  }
}

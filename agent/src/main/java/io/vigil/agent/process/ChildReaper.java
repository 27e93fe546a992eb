package io.vigil.agent.process;

import com.sun.jna.Memory;
import io.vigil.agent.ExitStatus;
import io.vigil.agent.LaunchException;
import io.vigil.agent.ProcessIdentity;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Owns {@code waitpid} for the JVM's children that the JDK does not wait for: it collects the
 * real wait status of instances, and reaps orphaned descendants, without stealing the JDK's own
 * children.
 *
 * <p>Why: PID 1 is not guaranteed to reap orphans (in containers and some sandboxes a killed
 * orphan stays a zombie forever), so the agent makes the JVM a child subreaper ({@link
 * #becomeSubreaper()}, {@code prctl(PR_SET_CHILD_SUBREAPER)}). Orphans of every instance are then
 * re-parented to the JVM, which must wait for them. Instances themselves are started through a
 * short-lived helper ({@link DetachedSpawn}) and re-parented to the JVM the same way, so that the
 * JDK keeps no reaper thread per instance; their status is wanted, so they must not be reaped as
 * orphans. And the JVM has children of its own (exec probes, launch helpers): the JDK starts a
 * reaper thread per {@link Process} that calls {@code waitpid(pid)} for exactly that pid; if we
 * reaped one of those first, the JDK would get ECHILD and report a wrong exit value.
 *
 * <p>How, all under one lock:
 *
 * <ul>
 *   <li>{@link #start} runs {@code ProcessBuilder.start()} and records the pid as a JDK child.
 *   <li>{@link #spawnClaimed} runs a launch helper, reads the pid of the instance it started,
 *       and <em>claims</em> that pid ("ours, status wanted") before the lock is released. So no
 *       reap pass can see the instance unclaimed, whether it is still running, already a zombie
 *       child of the helper, or (the helper having exited) a zombie re-parented to the JVM.
 *       {@link #claimChild} claims a live child of the JVM found on adoption.
 *   <li>{@link #collect} reaps a claimed child with {@code waitpid(pid, &status, WNOHANG)} once its
 *       exit event fired (a pidfd turns readable on exit, also for a zombie, see {@link
 *       ExitEvents}), and completes its {@link Claim#status()} with the decoded {@link
 *       WaitStatus}. Nothing else ever reaps a claimed pid, so the pid cannot be reused while
 *       claimed. {@link #release} drops a claim whose exit nobody waits for any more (the agent
 *       was closed); the process is then an ordinary child that a pass reaps when it dies.
 *   <li>{@link #reapOrphans} repeatedly peeks at one exited child with {@code waitid(P_ALL,
 *       WEXITED|WNOHANG|WNOWAIT)} (si_pid is at offset 16 of the 128-byte x86_64 siginfo_t). A
 *       pid that is neither a JDK child nor claimed is reaped with {@code waitpid(pid, WNOHANG)};
 *       any other ends the pass (its owner will reap it and then run a pass, and the kernel would
 *       keep peeking at it first).
 *   <li>A JDK child is forgotten when its {@link Process#onExit()} completes, i.e. after the JDK
 *       has reaped it. Removal is by (pid, Process) so a reused pid is never dropped early.
 * </ul>
 *
 * <p>Passes run on housekeeping, after a stop has signalled a group, and whenever a child or an
 * adopted process exits. An orphan that dies in between stays a zombie until the next pass.
 *
 * <p>Caveat: a process started by other code in this JVM without going through {@link #start}
 * (for example a helper command run by a library) is not registered; if it exits and a pass runs
 * before the JDK's reaper thread has waited for it, the pass reaps it and the JDK reports exit 0.
 * Everything Vigil itself runs goes through the agent.
 *
 * <p>There is one per JVM ({@link #shared()}): waitid(P_ALL) sees every child of the process, so
 * two agents with separate registries would steal each other's children. Thread-safe; futures
 * are completed outside the lock.
 */
final class ChildReaper {

  private static final Logger LOG = System.getLogger(ChildReaper.class.getName());

  private static final ChildReaper SHARED = new ChildReaper();

  private static final long SELF = ProcessHandle.current().pid();

  /** A pass never loops forever, even if the kernel kept reporting the same pid. */
  private static final int MAX_REAPS_PER_PASS = 4096;

  private final Object lock = new Object();
  private final Map<Long, Process> jdkChildren = new HashMap<>();
  private final Map<Long, Claim> claimed = new HashMap<>();
  private final Memory siginfo = new Memory(LibC.SIGINFO_SIZE);
  private final Memory waitStatus = new Memory(Integer.BYTES);

  /**
   * A child of the JVM whose wait status the agent collects itself. Shared by everyone who
   * claimed the same pid (a launch, then an adoption by a second agent in the same JVM).
   */
  static final class Claim {
    private final long pid;
    private final CompletableFuture<ExitStatus> status = new CompletableFuture<>();
    private int holders = 1; // guarded by the reaper's lock

    private Claim(long pid) {
      this.pid = pid;
    }

    long pid() {
      return pid;
    }

    /**
     * Completes once the child is reaped, with its real status (unknown only if someone outside
     * the agent reaped it); cancelled when the last holder released it first.
     */
    CompletableFuture<ExitStatus> status() {
      return status;
    }
  }

  /** Starts a process that leaves a child of the JVM behind, and returns that child's pid. */
  @FunctionalInterface
  interface Spawn {
    long start() throws LaunchException;
  }

  private ChildReaper() {}

  static ChildReaper shared() {
    return SHARED;
  }

  /** Makes the JVM the reaper of its orphaned descendants. Returns false (and logs) on failure. */
  static boolean becomeSubreaper() {
    if (LibC.INSTANCE.prctl(LibC.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0) {
      return true;
    }
    LOG.log(
        Level.WARNING,
        "prctl(PR_SET_CHILD_SUBREAPER) failed, errno {0}: orphans of instances will be"
            + " re-parented to PID 1 and may stay zombies",
        LibC.errno());
    return false;
  }

  /** Starts the process and registers it as a JDK child in one step. */
  Process start(ProcessBuilder builder) throws IOException {
    Process process;
    synchronized (lock) {
      process = ForkSignalMask.withSigquitUnblocked(builder::start);
      jdkChildren.put(process.pid(), process);
    }
    process.onExit().whenComplete((p, e) -> exited(process));
    return process;
  }

  private void exited(Process process) {
    synchronized (lock) {
      jdkChildren.remove(process.pid(), process);
    }
    reapOrphans();
  }

  /**
   * Runs {@code spawn} and claims the pid it returns, in one step: the spawned child must be the
   * JVM's child (live or zombie) by the time {@code spawn} returns. Reap passes and other
   * launches wait meanwhile.
   */
  Claim spawnClaimed(Spawn spawn) throws LaunchException {
    synchronized (lock) {
      return claimLocked(ForkSignalMask.withSigquitUnblocked(spawn::start));
    }
  }

  /**
   * Claims {@code identity} if it is a live child of the JVM that the JDK does not wait for;
   * empty otherwise. The check and the claim are one step, so the pid cannot have been reaped
   * and reused in between.
   */
  Optional<Claim> claimChild(ProcessIdentity identity) {
    synchronized (lock) {
      if (jdkChildren.containsKey(identity.pid())) {
        return Optional.empty();
      }
      boolean liveChild =
          ProcStat.read(identity.pid())
              .map(s -> s.isLive(identity) && s.ppid() == SELF)
              .orElse(false);
      return liveChild ? Optional.of(claimLocked(identity.pid())) : Optional.empty();
    }
  }

  private Claim claimLocked(long pid) {
    Claim claim = claimed.get(pid);
    if (claim != null) {
      claim.holders++;
      return claim;
    }
    claim = new Claim(pid);
    claimed.put(pid, claim);
    return claim;
  }

  /**
   * True while {@code claim} has been neither collected nor released. A pidfd opened while this
   * holds refers to the claimed process: its pid has not been reaped, so not reused, since.
   */
  boolean isClaimed(Claim claim) {
    synchronized (lock) {
      return claimed.get(claim.pid) == claim;
    }
  }

  /**
   * Reaps the claimed child after its exit event and completes {@link Claim#status()}; a no-op
   * when another holder collected it already. Returns the status future. Never throws.
   */
  CompletableFuture<ExitStatus> collect(Claim claim) {
    Optional<ExitStatus> status = Optional.empty();
    synchronized (lock) {
      if (claimed.get(claim.pid) == claim) {
        try {
          status = Optional.of(waitClaimed(claim.pid));
        } catch (RuntimeException e) {
          LOG.log(Level.ERROR, "Unexpected failure while collecting child " + claim.pid, e);
          status = Optional.of(ExitStatus.unknown());
        }
        claimed.remove(claim.pid);
      }
    }
    status.ifPresent(claim.status::complete);
    reapOrphans(); // the claimed zombie may have ended an earlier pass early
    return claim.status;
  }

  private ExitStatus waitClaimed(long pid) {
    while (true) {
      waitStatus.setInt(0, 0);
      int rc = LibC.INSTANCE.waitpid((int) pid, waitStatus, LibC.WNOHANG);
      if (rc == pid) {
        return WaitStatus.toStatus(waitStatus.getInt(0));
      }
      if (rc == 0) {
        // Not exited although its exit event fired: should not happen. Unclaimed, the next pass
        // after it dies reaps it.
        LOG.log(Level.WARNING, "Child {0} has not exited after its exit event", pid);
        return ExitStatus.unknown();
      }
      int errno = LibC.errno();
      if (errno != LibC.EINTR) {
        // ECHILD: reaped by code outside the agent (or never re-parented to the JVM).
        LOG.log(Level.WARNING, "waitpid({0}) failed, errno {1}: exit status unknown", pid, errno);
        return ExitStatus.unknown();
      }
    }
  }

  /**
   * Drops one holder of {@code claim}; after the last one, nobody wants the status, the pid is an
   * ordinary child for reap passes and {@link Claim#status()} is cancelled.
   */
  void release(Claim claim) {
    boolean last;
    synchronized (lock) {
      last = claimed.get(claim.pid) == claim && --claim.holders == 0;
      if (last) {
        claimed.remove(claim.pid);
      }
    }
    if (last) {
      claim.status.cancel(false);
      reapOrphans();
    }
  }

  /** One reap pass; see the class comment. Never throws. */
  void reapOrphans() {
    synchronized (lock) {
      try {
        for (int i = 0; i < MAX_REAPS_PER_PASS; i++) {
          long pid = peekExited();
          if (pid <= 0 || jdkChildren.containsKey(pid) || claimed.containsKey(pid)) {
            return;
          }
          reap((int) pid);
        }
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "Unexpected failure while reaping orphaned processes", e);
      }
    }
  }

  /** The pid of one exited child without reaping it; 0 when there is none. */
  private long peekExited() {
    while (true) {
      siginfo.clear();
      int options = LibC.WEXITED | LibC.WNOHANG | LibC.WNOWAIT;
      if (LibC.INSTANCE.waitid(LibC.P_ALL, 0, siginfo, options) == 0) {
        return siginfo.getInt(LibC.SIGINFO_PID_OFFSET);
      }
      int errno = LibC.errno();
      if (errno != LibC.EINTR) {
        if (errno != LibC.ECHILD) {
          LOG.log(Level.WARNING, "waitid(P_ALL) failed, errno {0}", errno);
        }
        return 0;
      }
    }
  }

  private static void reap(int pid) {
    int rc = LibC.INSTANCE.waitpid(pid, null, LibC.WNOHANG);
    if (rc == pid) {
      LOG.log(Level.DEBUG, "Reaped orphaned process {0}", pid);
      return;
    }
    int errno = rc < 0 ? LibC.errno() : 0;
    if (errno != 0 && errno != LibC.ECHILD) {
      LOG.log(Level.WARNING, "waitpid({0}) failed, errno {1}", pid, errno);
    }
  }
}

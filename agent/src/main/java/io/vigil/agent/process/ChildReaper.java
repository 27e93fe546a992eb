package io.vigil.agent.process;

import com.sun.jna.Memory;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts every child the agent spawns, and reaps orphaned descendants without stealing the JDK's
 * children.
 *
 * <p>Why: PID 1 is not guaranteed to reap orphans (in containers and some sandboxes a killed
 * orphan stays a zombie forever), so the agent makes the JVM a child subreaper ({@link
 * #becomeSubreaper()}, {@code prctl(PR_SET_CHILD_SUBREAPER)}). Orphans of every instance are then
 * re-parented to the JVM, which must wait for them. But the JVM also has children of its own: the
 * JDK starts a reaper thread per {@link Process} that calls {@code waitpid(pid)} for exactly that
 * pid; if we reaped one of those first, the JDK would get ECHILD and report a wrong exit value.
 *
 * <p>How:
 *
 * <ul>
 *   <li>{@link #start} runs {@code ProcessBuilder.start()} and records the pid in the set of JDK
 *       children while holding one lock, so no reap pass can see the new child unregistered.
 *   <li>{@link #reapOrphans} holds the same lock and repeatedly peeks at one exited child with
 *       {@code waitid(P_ALL, WEXITED|WNOHANG|WNOWAIT)} (si_pid is at offset 16 of the 128-byte
 *       x86_64 siginfo_t). A pid that is not a registered JDK child is reaped with {@code
 *       waitpid(pid, WNOHANG)}; a registered one ends the pass (the JDK will reap it, and the
 *       kernel would keep peeking at it first).
 *   <li>A pid is removed from the set when its {@link Process#onExit()} completes, i.e. after the
 *       JDK has reaped it. Removal is by (pid, Process) so a reused pid is never dropped early.
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
 * two agents with separate registries would steal each other's children. Thread-safe.
 */
final class ChildReaper {

  private static final Logger LOG = System.getLogger(ChildReaper.class.getName());

  private static final ChildReaper SHARED = new ChildReaper();

  /** A pass never loops forever, even if the kernel kept reporting the same pid. */
  private static final int MAX_REAPS_PER_PASS = 4096;

  private final Object lock = new Object();
  private final Map<Long, Process> jdkChildren = new HashMap<>();
  private final Memory siginfo = new Memory(LibC.SIGINFO_SIZE);

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
      process = builder.start();
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

  /** One reap pass; see the class comment. Never throws. */
  void reapOrphans() {
    synchronized (lock) {
      try {
        for (int i = 0; i < MAX_REAPS_PER_PASS; i++) {
          long pid = peekExited();
          if (pid <= 0 || jdkChildren.containsKey(pid)) {
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

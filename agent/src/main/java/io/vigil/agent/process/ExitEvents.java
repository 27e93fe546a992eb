package io.vigil.agent.process;

import io.vigil.agent.ExitStatus;
import io.vigil.agent.ProcessIdentity;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One agent's exit events: by a pidfd on the one {@link PidfdWatcher} thread, or, where the
 * kernel has no pidfd_open (before Linux 5.3), by the JDK's {@link ProcessHandle#onExit()} (a
 * JDK thread per process for children, polling up to 5 s late for others).
 *
 * <p>For a claimed child of the JVM ({@link #ofChild}) the event is followed by {@link
 * ChildReaper#collect}, which reaps it and gives its real status. {@link #close()} stops the
 * watcher; exits still awaited then complete exceptionally, and their claims are released so that
 * reap passes take over. Thread-safe.
 */
final class ExitEvents implements AutoCloseable {

  private static final Logger LOG = System.getLogger(ExitEvents.class.getName());

  private final ChildReaper reaper;
  private final Optional<PidfdWatcher> watcher;
  private final Set<CompletableFuture<Void>> jdkWaits = ConcurrentHashMap.newKeySet();

  ExitEvents(ChildReaper reaper, Optional<PidfdWatcher> watcher) {
    this.reaper = reaper;
    this.watcher = watcher;
  }

  /**
   * The real exit status of a claimed child. Completes on a JDK pool thread, never on the
   * watcher thread.
   */
  CompletableFuture<ExitStatus> ofChild(ChildReaper.Claim claim) {
    CompletableFuture<Void> exited = exitOf(claim);
    exited.whenComplete(
        (v, e) -> {
          if (e != null) {
            reaper.release(claim); // closed: nobody here waits for this exit any more
          }
        });
    return exited.thenComposeAsync(v -> reaper.collect(claim));
  }

  private CompletableFuture<Void> exitOf(ChildReaper.Claim claim) {
    long pid = claim.pid();
    if (watcher.isPresent()) {
      int fd = PidfdWatcher.pidfdOpen(pid);
      if (fd >= 0) {
        if (!reaper.isClaimed(claim)) {
          LibC.INSTANCE.close(fd); // another holder collected it: the fd may be of a new process
          return CompletableFuture.completedFuture(null);
        }
        return watcher.get().watch(fd);
      }
      LOG.log(Level.WARNING, "pidfd_open({0}) failed, errno {1}: waiting by the JDK", pid, -fd);
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !reaper.isClaimed(claim)) {
      return CompletableFuture.completedFuture(null); // already exited (a zombie) or collected
    }
    return jdkExit(handle.get());
  }

  /**
   * The exit of a process that may not be the JVM's child; empty when it is already gone. Its
   * status is not collected here.
   */
  Optional<CompletableFuture<Void>> ofAdopted(ProcessIdentity identity) {
    if (watcher.isPresent()) {
      return pidfdOf(identity);
    }
    return ProcessHandle.of(identity.pid()).map(this::jdkExit);
  }

  private Optional<CompletableFuture<Void>> pidfdOf(ProcessIdentity identity) {
    int fd = PidfdWatcher.pidfdOpen(identity.pid());
    if (fd < 0) {
      if (-fd != LibC.ESRCH) {
        LOG.log(Level.WARNING, "pidfd_open({0}) failed, errno {1}", identity.pid(), -fd);
      }
      return Optional.empty();
    }
    // Checked again: the pid may have been reused between the caller's check and pidfd_open.
    if (!ProcStat.read(identity.pid()).map(s -> s.isLive(identity)).orElse(false)) {
      LibC.INSTANCE.close(fd);
      return Optional.empty();
    }
    return Optional.of(watcher.orElseThrow().watch(fd));
  }

  private CompletableFuture<Void> jdkExit(ProcessHandle handle) {
    CompletableFuture<Void> exited = handle.onExit().thenApply(h -> null);
    jdkWaits.add(exited);
    exited.whenComplete((v, e) -> jdkWaits.remove(exited));
    return exited;
  }

  /** Stops the watcher thread; exits still awaited complete exceptionally. */
  @Override
  public void close() {
    watcher.ifPresent(PidfdWatcher::close);
    jdkWaits.forEach(f -> f.cancel(false));
  }
}

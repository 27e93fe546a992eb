package io.vigil.agent.process;

import io.vigil.agent.ExitStatus;
import io.vigil.agent.Signal;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One stop of a process group: send the signal, wait until the main process has exited and no
 * member of the group is left, and send SIGKILL to the group if the grace period ends first.
 *
 * <p>No thread blocks while waiting. The main process's exit event and the grace deadline are
 * tasks on the shared scheduler; after the main process has exited, forked members may linger a
 * moment, so the group is re-checked every {@link #RECHECK} until it is empty. All steps after
 * {@link #begin} run on the scheduler's single thread, which is why the fields need no locking.
 */
final class GroupStop {

  private static final Logger LOG = System.getLogger(GroupStop.class.getName());

  static final Duration RECHECK = Duration.ofMillis(15);

  private final long pgid;
  private final CompletableFuture<ExitStatus> mainExit;
  private final ScheduledExecutorService scheduler;
  private final ChildReaper reaper;
  private final CompletableFuture<ExitStatus> result = new CompletableFuture<>();
  private volatile Future<?> deadline = CompletableFuture.completedFuture(null);
  private boolean recheckPending;

  private GroupStop(
      long pgid,
      CompletableFuture<ExitStatus> mainExit,
      ScheduledExecutorService scheduler,
      ChildReaper reaper) {
    this.pgid = pgid;
    this.mainExit = mainExit;
    this.scheduler = scheduler;
    this.reaper = reaper;
  }

  /**
   * Starts stopping group {@code pgid} whose leader's exit is {@code mainExit}. The returned
   * future completes on the scheduler thread with the leader's status.
   */
  static CompletableFuture<ExitStatus> begin(
      long pgid,
      CompletableFuture<ExitStatus> mainExit,
      Signal signal,
      Duration grace,
      ScheduledExecutorService scheduler,
      ChildReaper reaper) {
    GroupStop stop = new GroupStop(pgid, mainExit, scheduler, reaper);
    stop.guarded(() -> stop.start(signal, grace));
    return stop.result;
  }

  private void start(Signal signal, Duration grace) {
    reaper.reapOrphans();
    if (mainExit.isDone() && !ProcessGroups.alive(pgid)) {
      finish();
      return;
    }
    ProcessGroups.signal(pgid, signal.number());
    // As systemd does: a frozen (SIGSTOPped) process only acts on the stop signal once continued.
    ProcessGroups.signal(pgid, Signal.CONT.number());
    reaper.reapOrphans();
    deadline = scheduler.schedule(() -> graceOver(grace), grace.toNanos(), TimeUnit.NANOSECONDS);
    mainExit.whenComplete((status, error) -> scheduler.execute(this::guardedCheck));
  }

  private void graceOver(Duration grace) {
    guarded(
        () -> {
          if (result.isDone()) {
            return;
          }
          // A zero grace is a plain kill (exec clean-up, SIGKILL stops): nothing to report.
          LOG.log(
              grace.isZero() ? Level.DEBUG : Level.INFO,
              "Process group {0} still running {1} ms after the stop signal: sending SIGKILL",
              pgid,
              grace.toMillis());
          ProcessGroups.signal(pgid, LibC.SIGKILL);
          check();
        });
  }

  private void guardedCheck() {
    guarded(this::check);
  }

  private void check() {
    if (result.isDone() || !mainExit.isDone()) {
      return; // the main process's exit event will check again
    }
    reaper.reapOrphans();
    if (ProcessGroups.alive(pgid)) {
      scheduleRecheck();
      return;
    }
    deadline.cancel(false);
    finish();
  }

  private void scheduleRecheck() {
    if (recheckPending) {
      return;
    }
    recheckPending = true;
    Runnable recheck =
        () -> {
          recheckPending = false;
          guardedCheck();
        };
    scheduler.schedule(recheck, RECHECK.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void finish() {
    mainExit.whenComplete(
        (status, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(status);
          }
        });
  }

  /** A failure here is our bug: log it and fail the stop rather than leave it hanging. */
  private void guarded(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "Unexpected failure while stopping process group " + pgid, e);
      result.completeExceptionally(e);
    }
  }
}

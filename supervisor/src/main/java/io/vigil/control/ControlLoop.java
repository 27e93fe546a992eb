package io.vigil.control;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The single owner thread of all instance state. Events from agent threads, probe completions
 * and timers are posted here; nothing else changes an instance. A task that throws is logged
 * and the loop goes on (a throwing scheduled task would otherwise be cancelled silently).
 */
final class ControlLoop implements AutoCloseable {
  private static final Logger LOG = System.getLogger(ControlLoop.class.getName());

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("vigil-control"));

  void execute(String what, Runnable task) {
    try {
      executor.execute(guarded(what, task));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.log(Level.DEBUG, "control loop closed; dropped: " + what);
    }
  }

  ScheduledFuture<?> schedule(String what, long delayNanos, Runnable task) {
    return executor.schedule(guarded(what, task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  boolean onLoopThread() {
    return Thread.currentThread().getName().equals("vigil-control");
  }

  private static Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.log(Level.ERROR, "bug in control loop while handling " + what + "; continuing", e);
      }
    };
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

package io.vigil.agent.process;

import io.vigil.agent.ExecResult;
import io.vigil.agent.ExitStatus;
import io.vigil.agent.LaunchException;
import io.vigil.agent.Signal;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs short commands (exec probes) in their own process group.
 *
 * <p>Output (stdout and stderr together) goes to a temporary file rather than a pipe, so no
 * thread has to drain it and a chatty command cannot block; only its last {@link #TAIL_BYTES}
 * bytes are kept. The timeout is a task on the shared scheduler; when it fires the whole group is
 * killed. When the command ends, members it left behind are killed too: a probe must not leave
 * processes around. The result completes after the group is gone. Thread-safe.
 */
final class ExecRunner {

  private static final Logger LOG = System.getLogger(ExecRunner.class.getName());

  static final int TAIL_BYTES = 512;

  private final Launcher launcher;
  private final ScheduledExecutorService scheduler;
  private final ChildReaper reaper;

  ExecRunner(Launcher launcher, ScheduledExecutorService scheduler, ChildReaper reaper) {
    this.launcher = launcher;
    this.scheduler = scheduler;
    this.reaper = reaper;
  }

  /**
   * Fails with {@link LaunchException} when the command cannot be started at all (bad working
   * directory, missing executable).
   */
  CompletableFuture<ExecResult> run(
      List<String> command, Path workingDir, Map<String, String> env, Duration timeout) {
    Path output;
    try {
      output = Files.createTempFile("vigil-exec-", ".out");
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    try {
      Redirect toFile = Redirect.appendTo(output.toFile());
      Process process =
          launcher.spawn(command, workingDir, env, Optional.empty(), toFile, toFile);
      return watch(process, timeout).thenApplyAsync(end -> result(end, output));
    } catch (LaunchException | RuntimeException e) {
      delete(output);
      return CompletableFuture.failedFuture(e);
    }
  }

  private record End(ExitStatus status, boolean timedOut) {}

  private CompletableFuture<End> watch(Process process, Duration timeout) {
    long pgid = process.pid();
    CompletableFuture<ExitStatus> mainExit =
        process.onExit().thenApply(p -> JdkExitCodes.toStatus(p.exitValue()));
    AtomicBoolean timedOut = new AtomicBoolean();
    Future<?> timer =
        scheduler.schedule(
            () -> {
              if (!mainExit.isDone()) {
                timedOut.set(true);
                ProcessGroups.signal(pgid, LibC.SIGKILL);
              }
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    return mainExit
        .thenCompose(
            status -> {
              timer.cancel(false);
              return GroupStop.begin(pgid, mainExit, Signal.KILL, Duration.ZERO, scheduler, reaper);
            })
        .thenApply(status -> new End(status, timedOut.get()));
  }

  private static ExecResult result(End end, Path output) {
    try {
      return new ExecResult(end.status(), end.timedOut(), OutputTail.read(output, TAIL_BYTES));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Cannot read exec output " + output, e);
      return new ExecResult(end.status(), end.timedOut(), "");
    } finally {
      delete(output);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Cannot delete exec output " + file, e);
    }
  }
}

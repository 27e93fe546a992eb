package io.vigil.agent.process;

import io.vigil.agent.Agent;
import io.vigil.agent.ExecResult;
import io.vigil.agent.ExitStatus;
import io.vigil.agent.HostSample;
import io.vigil.agent.LaunchException;
import io.vigil.agent.LaunchSpec;
import io.vigil.agent.ProcessIdentity;
import io.vigil.agent.ProcessSample;
import io.vigil.agent.RunningProcess;
import io.vigil.agent.Signal;
import io.vigil.agent.host.OshiSampler;
import io.vigil.agent.logs.LogFiles;
import io.vigil.agent.logs.TrackedLogs;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * The {@link Agent} for Linux (x86_64): real processes, signals and files.
 *
 * <p>Example: {@code try (Agent agent = new LinuxAgent(10 << 20, 5)) { agent.launch(spec); }}
 *
 * <ul>
 *   <li><b>Launch</b>: {@code setsid} (and {@code setpriv} to drop to the spec's user when Vigil
 *       is root) exec in place, so the JDK's pid is the service's pid and also its process group
 *       and session id. stdout/stderr are appended to files, stdin is /dev/null.
 *   <li><b>Exit</b>: launched children by the JDK's reaper ({@link Process#onExit()}); see {@link
 *       JdkExitCodes} for why exit values 129..192 are reported as signals. Adopted processes by
 *       a pidfd on one watcher thread ({@link PidfdWatcher}); their status is always unknown.
 *   <li><b>Stop</b>: {@link GroupStop}, driven by one shared scheduler thread; no thread blocks
 *       per stop, exec or timeout.
 *   <li><b>Zombies</b>: the JVM becomes a child subreaper at construction; {@link ChildReaper}
 *       reaps orphaned descendants without stealing the JDK's own children.
 * </ul>
 *
 * <p>User-visible futures ({@link RunningProcess#onExit()}, {@link #stop}, {@link #exec})
 * complete on a JDK pool thread, never on the scheduler or watcher thread, so a slow dependent
 * cannot delay another stop's deadline. {@link #close()} stops the agent's threads but leaves
 * every instance running; futures still pending then are cancelled. Thread-safe.
 */
public final class LinuxAgent implements Agent {

  private static final Logger LOG = System.getLogger(LinuxAgent.class.getName());

  /**
   * Start time of a process that was already gone before its /proc entry could be read. No live
   * process has it, so such an identity is never adopted or sampled.
   */
  static final long UNKNOWN_START = -1;

  private final TrackedLogs logs;
  private final ChildReaper reaper = ChildReaper.shared();
  private final ScheduledThreadPoolExecutor scheduler;
  private final Optional<PidfdWatcher> watcher;
  private final Launcher launcher;
  private final ExecRunner execs;
  private final OshiSampler sampler;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

  /**
   * @param logMaxBytes size above which housekeeping rotates a log file
   * @param logKeep rotated copies kept per log file (0 = truncate only)
   */
  public LinuxAgent(long logMaxBytes, int logKeep) {
    this.logs = new TrackedLogs(logMaxBytes, logKeep);
    if (!Files.isExecutable(Path.of(LaunchCommand.SETSID))) {
      throw new IllegalStateException(LaunchCommand.SETSID + " is required (util-linux)");
    }
    ChildReaper.becomeSubreaper();
    this.scheduler = new ScheduledThreadPoolExecutor(1, daemon("vigil-agent-scheduler"));
    scheduler.setRemoveOnCancelPolicy(true);
    this.watcher = PidfdWatcher.start(daemon("vigil-agent-pidfd"));
    if (watcher.isEmpty()) {
      LOG.log(
          Level.WARNING,
          "Exits of adopted processes will be noticed by JDK polling, up to 5 s late");
    }
    this.launcher = new Launcher(reaper, LibC.INSTANCE.geteuid() == 0);
    this.execs = new ExecRunner(launcher, scheduler, reaper);
    this.sampler = new OshiSampler();
  }

  @Override
  public RunningProcess launch(LaunchSpec spec) throws LaunchException {
    LogFiles files = openLogs(spec);
    Process process =
        launcher.spawn(
            spec.command(),
            spec.workingDir(),
            spec.env(),
            spec.user(),
            Redirect.appendTo(files.out().toFile()),
            Redirect.appendTo(files.err().toFile()));
    ProcessIdentity identity =
        ProcStat.identityOf(process.pid())
            .orElse(new ProcessIdentity(process.pid(), UNKNOWN_START));
    CompletableFuture<ExitStatus> exit =
        process.onExit().thenApply(p -> JdkExitCodes.toStatus(p.exitValue()));
    LOG.log(Level.DEBUG, "Launched {0} as pid {1}", spec.command(), process.pid());
    return new TrackedProcess(identity, exit, false);
  }

  private LogFiles openLogs(LaunchSpec spec) throws LaunchException {
    try {
      return logs.open(spec.logDir(), spec.logName());
    } catch (IOException e) {
      throw new LaunchException(
          "cannot create log directory " + spec.logDir() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Also empty when the process no longer leads its own process group: every {@link
   * RunningProcess} has pgid == pid, and stopping it signals that group.
   */
  @Override
  public Optional<RunningProcess> adopt(ProcessIdentity identity) {
    Optional<ProcStat> stat = ProcStat.read(identity.pid()).filter(s -> s.isLive(identity));
    if (stat.isEmpty()) {
      return Optional.empty();
    }
    if (stat.get().pgrp() != identity.pid()) {
      LOG.log(
          Level.WARNING,
          "Not adopting process {0}: it left its process group (now in group {1})",
          identity.pid(),
          stat.get().pgrp());
      return Optional.empty();
    }
    Optional<CompletableFuture<Void>> exited =
        watcher.isPresent() ? watchPidfd(identity) : watchByJdk(identity);
    return exited.map(
        e -> {
          CompletableFuture<ExitStatus> exit = e.thenApplyAsync(v -> adoptedExited());
          return new TrackedProcess(identity, exit, true);
        });
  }

  private ExitStatus adoptedExited() {
    reaper.reapOrphans(); // it may have been re-parented to us, and now be our zombie
    return ExitStatus.unknown();
  }

  private Optional<CompletableFuture<Void>> watchPidfd(ProcessIdentity identity) {
    int fd = PidfdWatcher.pidfdOpen(identity.pid());
    if (fd < 0) {
      if (-fd != LibC.ESRCH) {
        LOG.log(Level.WARNING, "pidfd_open({0}) failed, errno {1}", identity.pid(), -fd);
      }
      return Optional.empty();
    }
    // Checked again: the pid may have been reused between the first check and pidfd_open.
    if (!isLive(identity)) {
      LibC.INSTANCE.close(fd);
      return Optional.empty();
    }
    return Optional.of(watcher.orElseThrow().watch(fd));
  }

  private static Optional<CompletableFuture<Void>> watchByJdk(ProcessIdentity identity) {
    return ProcessHandle.of(identity.pid()).map(h -> h.onExit().thenApply(x -> null));
  }

  private static boolean isLive(ProcessIdentity identity) {
    return ProcStat.read(identity.pid()).map(s -> s.isLive(identity)).orElse(false);
  }

  /**
   * Skipped when the pid now belongs to another process: then the old group is gone (a pid is
   * not reused while a group of that id exists) and any group of that id is someone else's.
   */
  @Override
  public void signalGroup(ProcessIdentity identity, Signal signal) {
    if (!pidReused(identity)) {
      ProcessGroups.signal(identity.pid(), signal.number());
    }
  }

  private static boolean pidReused(ProcessIdentity identity) {
    return ProcStat.read(identity.pid())
        .map(s -> s.startTicks() != identity.startTicks())
        .orElse(false);
  }

  @Override
  public CompletableFuture<ExitStatus> stop(RunningProcess process, Signal signal, Duration grace) {
    CompletableFuture<ExitStatus> mainExit = process.onExit();
    if (mainExit.isDone() && pidReused(process.identity())) {
      return mainExit;
    }
    long pgid = process.identity().pid();
    return track(GroupStop.begin(pgid, mainExit, signal, grace, scheduler, reaper))
        .thenApplyAsync(status -> status);
  }

  @Override
  public CompletableFuture<ExecResult> exec(
      List<String> command, Path workingDir, Map<String, String> env, Duration timeout) {
    return track(execs.run(command, workingDir, env, timeout));
  }

  @Override
  public Optional<ProcessSample> sample(ProcessIdentity identity) {
    if (!isLive(identity)) {
      return Optional.empty();
    }
    Optional<ProcessSample> sample = sampler.process(identity.pid());
    // Checked again so a sample of a process that replaced ours in the meantime is dropped.
    return isLive(identity) ? sample : Optional.empty();
  }

  @Override
  public HostSample sampleHost() {
    return sampler.host();
  }

  @Override
  public void housekeeping() {
    try {
      logs.rotateOversized();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "Unexpected failure while rotating logs", e);
    }
    reaper.reapOrphans();
  }

  /**
   * Also tracks the pair for rotation: that is how the logs of an adopted process, which this
   * agent did not open, keep being rotated after a Vigil restart.
   */
  @Override
  public List<Path> logFiles(Path logDir, String logName) {
    return logs.track(logDir, logName).both();
  }

  @Override
  public void close() {
    watcher.ifPresent(PidfdWatcher::close);
    scheduler.shutdownNow();
    pending.forEach(f -> f.cancel(false));
  }

  private <T> CompletableFuture<T> track(CompletableFuture<T> future) {
    pending.add(future);
    future.whenComplete((v, e) -> pending.remove(future));
    return future;
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}

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
 *   <li><b>Launch</b>: through a helper that exits at once ({@link DetachedSpawn}): {@code setsid
 *       --fork} starts the service in its own session, so its pid is also its process group and
 *       session id, and the service is re-parented to the JVM (a child subreaper) without being
 *       a JDK child. That saves the JDK's reaper thread per instance (about 70 KB each: 35 MB and
 *       500 threads for 500 instances). {@code setpriv} drops to the spec's user when Vigil is
 *       root. stdout/stderr are appended to files, stdin is /dev/null.
 *   <li><b>Exit</b>: by a pidfd on one watcher thread for every process ({@link ExitEvents},
 *       {@link PidfdWatcher}). A launched instance is then reaped by {@link ChildReaper#collect}
 *       with its real wait status, so {@code exit(137)} and SIGKILL are told apart. An adopted
 *       process that is the JVM's child (launched by an earlier agent in this JVM, or an orphan
 *       re-parented to it) is collected the same way; any other adopted process's status is
 *       unknown. Exec probes are still JDK children ({@link JdkExitCodes}).
 *   <li><b>Races</b>: the pid is claimed in the {@link ChildReaper} in the same locked step that
 *       starts the helper, so no reap pass can take an instance for an orphan; an instance that
 *       exits before its helper does is re-parented as a zombie, which a pidfd reports at once.
 *   <li><b>Stop</b>: {@link GroupStop}, driven by one shared scheduler thread; no thread blocks
 *       per stop, exec or timeout.
 *   <li><b>Zombies</b>: the JVM becomes a child subreaper at construction; {@link ChildReaper}
 *       reaps orphaned descendants without stealing the JDK's children or claimed instances.
 * </ul>
 *
 * <p>User-visible futures ({@link RunningProcess#onExit()}, {@link #stop}, {@link #exec})
 * complete on a JDK pool thread, never on the scheduler or watcher thread, so a slow dependent
 * cannot delay another stop's deadline. {@link #close()} stops the agent's threads but leaves
 * every instance running; futures still pending then are cancelled or fail, and the instances'
 * claims are released, so a later agent in the same JVM can adopt them. Thread-safe.
 */
public final class LinuxAgent implements Agent {

  private static final Logger LOG = System.getLogger(LinuxAgent.class.getName());

  /**
   * Start time of a process that was already gone before its /proc entry could be read. No live
   * process has it, so such an identity is never adopted or sampled.
   */
  static final long UNKNOWN_START = -1;

  private static final long SELF = ProcessHandle.current().pid();

  private final TrackedLogs logs;
  private final ChildReaper reaper = ChildReaper.shared();
  private final ScheduledThreadPoolExecutor scheduler;
  private final ExitEvents exits;
  private final Launcher launcher;
  private final ExecRunner execs;
  /**
   * Created on the first {@link #sampleHost()}: OSHI's classes, its JNA bindings and its start-up
   * reads of /proc and /sys cost memory that a daemon which never samples the host should not
   * pay (the supervisor does not, today).
   */
  private OshiSampler hostSampler;
  private final ProcSampler processes = ProcSampler.forThisHost();
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
    if (!Files.isExecutable(Path.of(LaunchCommand.SH))) {
      throw new IllegalStateException(LaunchCommand.SH + " is required");
    }
    ChildReaper.becomeSubreaper();
    this.scheduler = new ScheduledThreadPoolExecutor(1, daemon("vigil-agent-scheduler"));
    scheduler.setRemoveOnCancelPolicy(true);
    Optional<PidfdWatcher> watcher = PidfdWatcher.start(daemon("vigil-agent-pidfd"));
    if (watcher.isEmpty()) {
      LOG.log(
          Level.WARNING,
          "Without pidfd_open, exits are awaited by a JDK thread per instance, and exits of"
              + " adopted processes are noticed by JDK polling, up to 5 s late");
    }
    this.exits = new ExitEvents(reaper, watcher);
    this.launcher =
        new Launcher(reaper, LibC.INSTANCE.geteuid() == 0, InheritedSignals.toReset(reaper));
    this.execs = new ExecRunner(launcher, scheduler, reaper);
  }

  @Override
  public RunningProcess launch(LaunchSpec spec) throws LaunchException {
    LogFiles files = openLogs(spec);
    // Absolute: the helper opens them in the instance's working directory.
    ChildReaper.Claim claim =
        launcher.spawnInstance(
            spec.command(),
            spec.workingDir(),
            spec.env(),
            spec.user(),
            files.out().toAbsolutePath(),
            files.err().toAbsolutePath());
    long pid = claim.pid();
    ProcessIdentity identity =
        ProcStat.identityOf(pid).orElse(new ProcessIdentity(pid, UNKNOWN_START));
    CompletableFuture<ExitStatus> exit = exits.ofChild(claim);
    LOG.log(Level.DEBUG, "Launched {0} as pid {1}", spec.command(), pid);
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
   * RunningProcess} has pgid == pid, and stopping it signals that group. A process that is the
   * JVM's child (and not a JDK child) is claimed and collected like a launched one, so its real
   * status is known; for any other, the status is unknown.
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
    Optional<ChildReaper.Claim> child =
        stat.get().ppid() == SELF ? reaper.claimChild(identity) : Optional.empty();
    if (child.isPresent()) {
      return Optional.of(new TrackedProcess(identity, exits.ofChild(child.get()), true));
    }
    return exits
        .ofAdopted(identity)
        .map(
            e -> {
              CompletableFuture<ExitStatus> exit = e.thenApplyAsync(v -> adoptedExited());
              return new TrackedProcess(identity, exit, true);
            });
  }

  private ExitStatus adoptedExited() {
    reaper.reapOrphans(); // it may have been re-parented to us, and now be our zombie
    return ExitStatus.unknown();
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
    return processes.sample(identity);
  }

  @Override
  public synchronized HostSample sampleHost() {
    if (hostSampler == null) {
      hostSampler = new OshiSampler();
    }
    return hostSampler.host();
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
    exits.close();
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

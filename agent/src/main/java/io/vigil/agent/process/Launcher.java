package io.vigil.agent.process;

import io.vigil.agent.LaunchException;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Spawns a command in its own session and process group (see {@link LaunchCommand}), with stdin
 * from /dev/null and stdout/stderr going to files, never piped into the JVM. Instances are
 * spawned detached from the JDK ({@link #spawnInstance}), exec probes as JDK children ({@link
 * #spawn}). Checks what it can beforehand so that user mistakes become a {@link LaunchException}
 * with a plain message. Thread-safe.
 */
final class Launcher {

  /** Variables systemd gives Vigil alone, as sd_notify's unset_environment would drop them. */
  private static final Set<String> SYSTEMD_PRIVATE =
      Set.of(
          "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID",
          "LISTEN_FDNAMES");

  private static final Logger LOG = System.getLogger(Launcher.class.getName());

  private static final File DEV_NULL = new File("/dev/null");

  private static final long SESSION_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
  private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final ChildReaper reaper;
  private final boolean root;
  private final List<Integer> resetSignals;
  private final AtomicBoolean warnedNotRoot = new AtomicBoolean();

  /**
   * @param resetSignals signals Vigil ignores that instances get back at their defaults (see
   *     {@link InheritedSignals})
   */
  Launcher(ChildReaper reaper, boolean root, List<Integer> resetSignals) {
    this.reaper = reaper;
    this.root = root;
    this.resetSignals = List.copyOf(resetSignals);
  }

  /**
   * Starts {@code command} as an instance: a child of the JVM that the JDK does not wait for,
   * claimed in the {@link ChildReaper} so that its exit status can be collected (see {@link
   * DetachedSpawn}). stdout and stderr are appended to {@code out} and {@code err} (absolute
   * paths). Returns once the instance leads its own session and its logs are open. The
   * environment is Vigil's own plus {@code env}; with {@code user} (honoured only when Vigil runs
   * as root) HOME, USER and LOGNAME default to that user's.
   */
  ChildReaper.Claim spawnInstance(
      List<String> command,
      Path workingDir,
      Map<String, String> env,
      Optional<String> user,
      Path out,
      Path err)
      throws LaunchException {
    checkWorkingDir(workingDir);
    Optional<UserAccount> runAs = runAs(user);
    ProcessBuilder helper = prepare(command, workingDir, env, runAs);
    Optional<String> pwd = Optional.ofNullable(helper.environment().get("PWD"));
    helper.command(LaunchCommand.detached(command, runAs, out, err, pwd, resetSignals));
    return reaper.spawnClaimed(() -> DetachedSpawn.start(helper, command));
  }

  /**
   * Starts {@code command} as a JDK child, for short-lived commands (exec probes). Same
   * environment rules as {@link #spawnInstance}.
   */
  Process spawn(
      List<String> command,
      Path workingDir,
      Map<String, String> env,
      Optional<String> user,
      Redirect out,
      Redirect err)
      throws LaunchException {
    checkWorkingDir(workingDir);
    Optional<UserAccount> runAs = runAs(user);
    ProcessBuilder builder =
        prepare(command, workingDir, env, runAs)
            .command(LaunchCommand.argv(command, runAs))
            .redirectOutput(out)
            .redirectError(err);
    Process process;
    try {
      process = reaper.start(builder);
    } catch (IOException e) {
      throw new LaunchException("cannot start " + command + ": " + e.getMessage(), e);
    }
    awaitOwnSession(process.pid());
    return process;
  }

  /** A builder with directory, stdin and environment set, but no command yet. */
  private ProcessBuilder prepare(
      List<String> command, Path workingDir, Map<String, String> env, Optional<UserAccount> runAs)
      throws LaunchException {
    ProcessBuilder builder =
        new ProcessBuilder().directory(workingDir.toFile()).redirectInput(DEV_NULL);
    builder.environment().keySet().removeAll(SYSTEMD_PRIVATE);
    runAs.ifPresent(account -> userDefaults(builder.environment(), account));
    builder.environment().putAll(env);
    checkExecutable(command.get(0), workingDir, builder.environment().get("PATH"));
    return builder;
  }

  /**
   * Returns once the child has called setsid(2), so that a signal sent to its group right after
   * launch is not lost (before setsid the group does not exist and kill(-pid) fails with ESRCH).
   * The JDK returns from start() as soon as setsid is exec'ed; the call itself follows within
   * microseconds, and there is no event for it, hence the short poll with growing pauses.
   */
  private static void awaitOwnSession(long pid) {
    long deadline = System.nanoTime() + SESSION_TIMEOUT_NANOS;
    long pause = FIRST_PAUSE_NANOS;
    while (true) {
      Optional<ProcStat> stat = ProcStat.read(pid);
      if (stat.isEmpty() || stat.get().zombie() || stat.get().session() == pid) {
        return;
      }
      if (System.nanoTime() > deadline) {
        LOG.log(Level.WARNING, "Process {0} has not started its own session yet", pid);
        return;
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
    }
  }

  private static void checkWorkingDir(Path dir) throws LaunchException {
    if (!Files.isDirectory(dir)) {
      String problem = Files.exists(dir) ? "is not a directory" : "does not exist";
      throw new LaunchException("working directory " + dir + " " + problem);
    }
  }

  private static void checkExecutable(String program, Path workingDir, String path)
      throws LaunchException {
    if (Executables.resolve(program, workingDir, path).isPresent()) {
      return;
    }
    if (program.contains("/")) {
      throw new LaunchException(
          "executable " + program + " not found or not executable (working directory "
              + workingDir + ")");
    }
    throw new LaunchException(
        "executable " + program + " not found in PATH ("
            + (path == null ? Executables.DEFAULT_PATH : path) + ")");
  }

  private Optional<UserAccount> runAs(Optional<String> user) throws LaunchException {
    if (user.isEmpty()) {
      return Optional.empty();
    }
    if (!root) {
      if (warnedNotRoot.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            "Vigil is not running as root: processes configured with a user (first: {0}) run as"
                + " Vigil's own user",
            user.get());
      }
      return Optional.empty();
    }
    if (!Files.isExecutable(Path.of(LaunchCommand.SETPRIV))) {
      throw new LaunchException(
          "cannot run as user " + user.get() + ": " + LaunchCommand.SETPRIV + " is missing");
    }
    Optional<UserAccount> account = UserAccount.lookup(user.get());
    if (account.isEmpty()) {
      throw new LaunchException("unknown user " + user.get());
    }
    return account;
  }

  private static void userDefaults(Map<String, String> env, UserAccount account) {
    env.put("HOME", account.home());
    env.put("USER", account.name());
    env.put("LOGNAME", account.name());
  }
}

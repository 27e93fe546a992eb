package io.vigil.agent.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The argv that starts a command in its own session and process group, optionally as another
 * user. Pure.
 *
 * <p>{@link #argv} (exec probes, JDK children): {@code setsid} only forks when the caller already
 * leads a process group; the JDK's child never does, so setsid calls setsid(2) and execs in
 * place: the pid the JDK reports is the command's pid, and its process group and session ids
 * equal that pid. {@code setpriv} also execs in place, after switching uid, gid and supplementary
 * groups.
 *
 * <p>{@link #detached} (instances, see {@link DetachedSpawn}): {@code setsid -f} always forks; the
 * JDK's child (the helper) exits at once, and the forked child calls setsid(2) and runs {@link
 * #DETACH_SCRIPT}, which opens the log files, reports its pid, and execs the command in place.
 * The log paths and the command travel as positional parameters, so no user data is ever quoted
 * into shell code and the instance's environment gains nothing.
 */
final class LaunchCommand {

  static final String SETSID = "/usr/bin/setsid";
  static final String SETPRIV = "/usr/bin/setpriv";
  static final String SH = "/bin/sh";
  static final String ENV = "/usr/bin/env";

  /**
   * Run by {@code sh -c} with {@code $1} = stdout log, {@code $2} = stderr log, {@code $3} = the
   * environment's PWD (see {@link #pwdParameter}), then the command.
   *
   * <ul>
   *   <li>The pid goes to fd 3 (the report pipe, the helper's stdout) only after both logs are
   *       open, then fd 3 is closed so the command does not inherit the pipe. A log that cannot
   *       be opened makes the shell print why on the pipe (stderr is still the pipe then) and
   *       exit with no pid.
   *   <li>The shell exports a PWD of its own making at start (the working directory, unless the
   *       given PWD already names it); the given one is put back, or PWD unset if there was none.
   *   <li>Unlike {@code cmd &}, nothing here leaves SIGINT and SIGQUIT ignored: POSIX has a
   *       non-interactive shell start background commands with both ignored, the command would
   *       inherit that, and a stop signal of INT would do nothing.
   * </ul>
   */
  static final String DETACH_SCRIPT =
      "exec 3>&1 >>\"$1\" 2>>\"$2\" || exit; "
          + "case $3 in -) unset PWD ;; *) export PWD=\"${3#+}\" ;; esac; shift 3; "
          + "echo \"$$\" >&3; exec 3>&-; exec \"$@\"";

  private LaunchCommand() {}

  static List<String> argv(List<String> command, Optional<UserAccount> runAs) {
    List<String> argv = new ArrayList<>();
    argv.add(SETSID);
    argv.add("--"); // a command starting with '-' is not an option of setsid
    runAs.ifPresent(user -> argv.addAll(setpriv(user)));
    argv.addAll(command);
    return argv;
  }

  /**
   * The helper that starts {@code command} detached from the JDK, logging to out and err, with
   * PWD as in the environment given to the helper ({@code pwd}, empty when unset), and the
   * signals in {@code reset} (those Vigil ignores, see {@link InheritedSignals}) back at their
   * defaults for the command.
   */
  static List<String> detached(
      List<String> command,
      Optional<UserAccount> runAs,
      Path out,
      Path err,
      Optional<String> pwd,
      List<Integer> reset) {
    List<String> argv = new ArrayList<>();
    argv.addAll(List.of(SETSID, "--fork", "--", SH, "-c", DETACH_SCRIPT, "sh"));
    argv.add(out.toString());
    argv.add(err.toString());
    argv.add(pwdParameter(pwd));
    if (!reset.isEmpty()) {
      argv.addAll(resetSignals(reset)); // ends with "--": a '-' command name is safe after it
    }
    if (runAs.isPresent()) {
      argv.addAll(setpriv(runAs.get()));
    } else if (reset.isEmpty() && command.get(0).startsWith("-")) {
      // dash's exec takes no options (not even "--") and bash's does: let env exec such a name.
      argv.addAll(List.of(ENV, "--"));
    }
    argv.addAll(command);
    return argv;
  }

  /** {@code env} resetting {@code signals} to their defaults, then running what follows. */
  static List<String> resetSignals(List<Integer> signals) {
    String list = signals.stream().map(String::valueOf).collect(Collectors.joining(","));
    return List.of(ENV, "--default-signal=" + list, "--");
  }

  /** "-" for an unset PWD, else "+" and its value (which may be empty, or "-" itself). */
  static String pwdParameter(Optional<String> pwd) {
    return pwd.map(value -> "+" + value).orElse("-");
  }

  private static List<String> setpriv(UserAccount user) {
    return List.of(
        SETPRIV, "--reuid=" + user.uid(), "--regid=" + user.gid(), "--init-groups", "--");
  }
}

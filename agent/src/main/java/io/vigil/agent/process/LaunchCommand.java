package io.vigil.agent.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The argv that starts a command in its own session and process group, optionally as another
 * user. Pure.
 *
 * <p>{@code setsid} only forks when the caller already leads a process group; the JDK's child
 * never does, so setsid calls setsid(2) and execs in place: the pid the JDK reports is the
 * command's pid, and its process group and session ids equal that pid. {@code setpriv} also
 * execs in place, after switching uid, gid and supplementary groups.
 */
final class LaunchCommand {

  static final String SETSID = "/usr/bin/setsid";
  static final String SETPRIV = "/usr/bin/setpriv";

  private LaunchCommand() {}

  static List<String> argv(List<String> command, Optional<UserAccount> runAs) {
    List<String> argv = new ArrayList<>();
    argv.add(SETSID);
    argv.add("--"); // a command starting with '-' is not an option of setsid
    runAs.ifPresent(
        user ->
            argv.addAll(
                List.of(
                    SETPRIV,
                    "--reuid=" + user.uid(),
                    "--regid=" + user.gid(),
                    "--init-groups",
                    "--")));
    argv.addAll(command);
    return argv;
  }
}

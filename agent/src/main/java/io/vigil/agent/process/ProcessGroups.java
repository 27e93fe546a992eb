package io.vigil.agent.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Signals to, and liveness of, whole process groups. Stateless and thread-safe. */
final class ProcessGroups {

  private static final Logger LOG = System.getLogger(ProcessGroups.class.getName());

  private static final long SELF = ProcessHandle.current().pid();

  private ProcessGroups() {}

  /** Sends {@code signal} to every member of group {@code pgid}; a gone group is not an error. */
  static void signal(long pgid, int signal) {
    if (LibC.INSTANCE.kill((int) -pgid, signal) == 0) {
      return;
    }
    int errno = LibC.errno();
    if (errno != LibC.ESRCH) {
      LOG.log(Level.WARNING, "kill(-{0}, {1}) failed, errno {2}", pgid, signal, errno);
    }
  }

  /**
   * True while the group has a live member, or a zombie member that is this JVM's child (a reap
   * pass will remove it). Zombies parented elsewhere count as gone: they are dead, and their
   * parent (perhaps a PID 1 that never reaps) is not ours to wait for.
   */
  static boolean alive(long pgid) {
    // kill(-pgid, 0) is one syscall and answers the common "all gone" case; members that are
    // zombies still make it succeed, hence the scan.
    if (LibC.INSTANCE.kill((int) -pgid, 0) != 0 && LibC.errno() == LibC.ESRCH) {
      return false;
    }
    return hasMemberToWaitFor(pgid);
  }

  private static boolean hasMemberToWaitFor(long pgid) {
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        var stat = ProcStat.read(Long.parseLong(proc.getFileName().toString()));
        if (stat.isPresent()
            && stat.get().pgrp() == pgid
            && (!stat.get().zombie() || stat.get().ppid() == SELF)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list /proc", e);
    }
  }
}

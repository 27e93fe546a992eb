package io.vigil.agent.process;

import com.sun.jna.Memory;
import io.vigil.agent.LaunchException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts an instance through a short-lived helper, so that the instance is a child of the JVM but
 * not of the JDK: the JDK keeps a "process reaper" thread (about 70 KB) blocked in {@code
 * waitpid} per live {@link Process}, which for 500 instances is 500 threads. The helper's reaper
 * thread is free again within a millisecond, and idle reaper threads end after 60 s.
 *
 * <p>The helper is {@link LaunchCommand#detached}: {@code setsid --fork} exits right after
 * forking, and the forked child (already in its own session) opens the logs, writes its pid to a
 * pipe, and execs the command. The JVM is a child subreaper, so the instance is re-parented to it
 * when the helper exits; if the instance exits first, it is a zombie child of the helper and is
 * re-parented as a zombie, which {@link ChildReaper#collect} still reaps with its status.
 *
 * <p>The pipe is the agent's own ({@code pipe2}), handed to the helper as stdout and stderr by
 * its {@code /proc/self/fd} path, rather than the JDK's {@link Process#getInputStream()}: the JDK
 * closes that stream when the helper exits, keeping only the bytes already written, and here the
 * pid is written by the helper's child, after the helper has exited. Reads use {@code poll} with
 * a deadline, so a wedged helper fails the launch instead of blocking it forever.
 *
 * <p>Stateless; {@link #start} is called with the {@link ChildReaper}'s lock held.
 */
final class DetachedSpawn {

  private static final Logger LOG = System.getLogger(DetachedSpawn.class.getName());

  static final long REPORT_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(5);

  private static final int MAX_REPORT_BYTES = 4096;
  private static final int READ_CHUNK = 512;
  private static final int POLLFD_SIZE = 8;

  private DetachedSpawn() {}

  /**
   * Starts {@code helper} (whose argv is {@link LaunchCommand#detached} for {@code command}) and
   * returns the instance's pid once the helper is gone, so that the instance is then the JVM's
   * child, live or zombie.
   *
   * @throws LaunchException when the helper cannot start or reports no pid (a log file that
   *     cannot be opened, for example), with what it printed
   */
  static long start(ProcessBuilder helper, List<String> command) throws LaunchException {
    int[] pipe = new int[2];
    if (LibC.INSTANCE.pipe2(pipe, LibC.O_CLOEXEC) != 0) {
      throw new LaunchException(
          "cannot start " + command + ": pipe2 failed, errno " + LibC.errno());
    }
    try {
      Process process = startHelper(helper, pipe[1], command);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPORT_TIMEOUT_MILLIS);
      String report;
      try {
        report = readReport(pipe[0], deadline);
      } catch (LaunchException | RuntimeException e) {
        awaitExit(process, false);
        throw e;
      }
      int helperExit = awaitExit(process, report != null);
      return pid(report, helperExit, command);
    } finally {
      LibC.INSTANCE.close(pipe[0]);
    }
  }

  private static Process startHelper(ProcessBuilder helper, int writeEnd, List<String> command)
      throws LaunchException {
    // The JDK opens this path itself (a new descriptor of the same pipe) for the child's fd 1
    // and 2, and closes its copy after start(); ours is closed right after, so end of file on
    // the read end means every process of the helper has closed or exec'ed past the pipe.
    File pipe = new File("/proc/self/fd/" + writeEnd);
    helper.redirectOutput(Redirect.to(pipe)).redirectErrorStream(true);
    try {
      return helper.start();
    } catch (IOException e) {
      throw new LaunchException("cannot start " + command + ": " + e.getMessage(), e);
    } finally {
      LibC.INSTANCE.close(writeEnd);
    }
  }

  /** Everything written to the pipe until end of file; null if the deadline passed first. */
  private static String readReport(int fd, long deadline) throws LaunchException {
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    try (Memory pollfd = new Memory(POLLFD_SIZE);
        Memory buffer = new Memory(READ_CHUNK)) {
      while (true) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return null;
        }
        pollfd.clear();
        pollfd.setInt(0, fd);
        pollfd.setShort(4, LibC.POLLIN);
        int ready = LibC.INSTANCE.poll(pollfd, 1, (int) Math.min(left, Integer.MAX_VALUE));
        if (ready < 0) {
          failUnlessInterrupted("poll");
          continue;
        }
        if (ready == 0) {
          continue;
        }
        long n = LibC.INSTANCE.read(fd, buffer, READ_CHUNK);
        if (n == 0) {
          return report.toString(StandardCharsets.UTF_8);
        }
        if (n < 0) {
          failUnlessInterrupted("read");
          continue;
        }
        if (report.size() < MAX_REPORT_BYTES) {
          report.write(buffer.getByteArray(0, (int) n), 0, (int) n);
        }
      }
    }
  }

  private static void failUnlessInterrupted(String call) throws LaunchException {
    int errno = LibC.errno();
    if (errno != LibC.EINTR) {
      throw new LaunchException(call + " on the launch helper's pipe failed, errno " + errno);
    }
  }

  /**
   * The helper's exit code, once the JDK has reaped it: only then is the instance certainly
   * re-parented (end of file on the pipe comes earlier in the helper's exit). A helper that
   * did not finish reporting is killed first.
   */
  private static int awaitExit(Process helper, boolean reported) {
    if (!reported) {
      helper.destroyForcibly();
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return helper.waitFor();
        } catch (InterruptedException e) {
          // Returning early would leave the instance unclaimed; the helper is gone in moments.
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long pid(String report, int helperExit, List<String> command)
      throws LaunchException {
    if (report == null) {
      throw new LaunchException(
          "cannot start " + command + ": the launch helper reported no pid within "
              + REPORT_TIMEOUT_MILLIS + " ms");
    }
    String text = report.strip();
    String last = text.substring(text.lastIndexOf('\n') + 1);
    if (isPid(last)) {
      if (text.length() > last.length()) {
        LOG.log(Level.WARNING, "The launch helper of {0} also printed: {1}", command,
            text.substring(0, text.length() - last.length()).strip());
      }
      return Long.parseLong(last);
    }
    throw new LaunchException(
        "cannot start " + command + ": "
            + (text.isEmpty()
                ? "the launch helper exited with code " + helperExit + " and reported no pid"
                : text));
  }

  private static boolean isPid(String s) {
    return !s.isEmpty()
        && s.length() <= 10
        && s.chars().allMatch(c -> c >= '0' && c <= '9')
        && Long.parseLong(s) > 0;
  }
}

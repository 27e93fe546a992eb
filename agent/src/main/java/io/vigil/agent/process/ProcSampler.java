package io.vigil.agent.process;

import io.vigil.agent.ProcessIdentity;
import io.vigil.agent.ProcessSample;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Samples one process's resource use straight from /proc, reading only what a {@link
 * ProcessSample} holds: {@code /proc/PID/stat} (CPU time, threads, resident pages, and the start
 * time that identifies the process) and the size of {@code /proc/PID/fd} (its open
 * descriptors): about 5 system calls. OSHI's process sampling read about four files and made
 * some 25, most of the sampler thread's CPU at 500 instances (docs/performance.md). Stateless
 * and thread-safe.
 */
final class ProcSampler {
  private static final int UTIME = 14;
  private static final int STIME = 15;
  private static final int THREADS = 20;
  private static final int RSS_PAGES = 24;

  private final double ticksPerSecond;
  private final long pageSize;

  ProcSampler(long ticksPerSecond, long pageSize) {
    if (ticksPerSecond <= 0 || pageSize <= 0) {
      throw new IllegalArgumentException(
          "clock ticks " + ticksPerSecond + " and page size " + pageSize + " must be > 0");
    }
    this.ticksPerSecond = ticksPerSecond;
    this.pageSize = pageSize;
  }

  /** With the kernel's clock tick and page size, from sysconf(3). */
  static ProcSampler forThisHost() {
    return new ProcSampler(
        LibC.INSTANCE.sysconf(LibC.SC_CLK_TCK), LibC.INSTANCE.sysconf(LibC.SC_PAGESIZE));
  }

  /**
   * A sample of the process of {@code identity}, or empty when it is gone, a zombie, or its pid
   * now belongs to another process. The stat line is checked against the identity, so CPU and
   * memory (what the memory limit acts on) are always that process's. The fd count is read
   * microseconds later and not checked again: for it to be another process's, the pid would
   * have to be freed and reused in between.
   */
  Optional<ProcessSample> sample(ProcessIdentity identity) {
    Optional<String> line = ProcStat.readLine(identity.pid());
    if (line.isEmpty()) {
      return Optional.empty();
    }
    ProcStat.Fields fields = ProcStat.Fields.of(line.get(), RSS_PAGES); // located once for both
    if (!ProcStat.parse(fields).isLive(identity)) {
      return Optional.empty();
    }
    return Optional.of(fromFields(identity.pid(), fields, openFiles(identity.pid())));
  }

  /** The sample a stat line and an fd count make. */
  ProcessSample fromStat(long pid, String statLine, long openFiles) {
    return fromFields(pid, ProcStat.Fields.of(statLine, RSS_PAGES), openFiles);
  }

  private ProcessSample fromFields(long pid, ProcStat.Fields f, long openFiles) {
    long cpuTicks = f.number(UTIME) + f.number(STIME);
    return new ProcessSample(
        pid,
        cpuTicks / ticksPerSecond,
        f.number(RSS_PAGES) * pageSize,
        Math.toIntExact(f.number(THREADS)),
        openFiles);
  }

  /**
   * Open descriptors of the process; 0 when they cannot be read (the process just exited, or,
   * before Linux 6.2, another user's process while Vigil is not root), as OSHI reported.
   */
  private static long openFiles(long pid) {
    Path fds = Path.of("/proc", Long.toString(pid), "fd");
    try {
      // Since Linux 6.2 the directory's size is the number of open descriptors: one stat call
      // instead of opening and reading the directory. Older kernels say 0: count the entries.
      long size = Files.size(fds);
      return size > 0 ? size : entries(fds);
    } catch (IOException | SecurityException e) {
      return 0;
    }
  }

  /** The entries of {@code dir}, counted. */
  static long entries(Path dir) throws IOException {
    long count = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path ignored : entries) {
        count++;
      }
    }
    return count;
  }
}

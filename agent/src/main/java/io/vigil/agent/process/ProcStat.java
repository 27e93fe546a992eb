package io.vigil.agent.process;

import io.vigil.agent.ProcessIdentity;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The fields of {@code /proc/PID/stat} the agent uses, and the parser for that line.
 *
 * <p>Example: {@code ProcStat.identityOf(pid)} gives the identity to store so that a later Vigil
 * run can {@code adopt} the process again. Thread-safe (each thread reads into its own buffer).
 *
 * @param pid field 1
 * @param state field 3: R, S, D, Z, T...
 * @param ppid field 4
 * @param pgrp field 5, the process group id
 * @param session field 6
 * @param startTicks field 22: start time in clock ticks since boot
 */
public record ProcStat(long pid, char state, long ppid, long pgrp, long session, long startTicks) {

  /** 52 fields of at most 20 digits and a 16-byte command name fit several times over. */
  private static final int LINE_BUFFER = 4096;

  private static final ThreadLocal<byte[]> LINE_BUFFERS =
      ThreadLocal.withInitial(() -> new byte[LINE_BUFFER]);

  /** Fields counted from 1 as in proc(5); the text after the last ')' starts with field 3. */
  private static final int FIRST_FIELD_AFTER_COMM = 3;

  private static final int STATE = 3;
  private static final int PPID = 4;
  private static final int PGRP = 5;
  private static final int SESSION = 6;
  private static final int START_TIME = 22;

  /** The identity of a live (not zombie) process, or empty when there is none with that pid. */
  public static Optional<ProcessIdentity> identityOf(long pid) {
    return read(pid).filter(s -> !s.zombie()).map(ProcStat::identity);
  }

  /** The stat of a process (zombies included), or empty when there is no such process. */
  public static Optional<ProcStat> read(long pid) {
    return readLine(pid).map(ProcStat::parse);
  }

  /**
   * The raw stat line of a process, or empty when there is no such process. One read(2) of a
   * buffer larger than any stat line gets all of it (the kernel makes the line at open):
   * Files.readAllBytes took three reads and an fstat, on a path the sampler takes for every
   * instance. The buffer is the calling thread's own, reused: the sampler reads a hundred lines
   * a second.
   */
  static Optional<String> readLine(long pid) {
    try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
      byte[] buffer = LINE_BUFFERS.get();
      int read = in.read(buffer);
      if (read == buffer.length) { // cannot happen today; never truncate if it ever does
        byte[] rest = in.readAllBytes();
        byte[] whole = Arrays.copyOf(buffer, read + rest.length);
        System.arraycopy(rest, 0, whole, read, rest.length);
        return Optional.of(new String(whole, StandardCharsets.UTF_8));
      }
      return Optional.of(new String(buffer, 0, Math.max(read, 0), StandardCharsets.UTF_8));
    } catch (IOException e) {
      // FileNotFoundException or ESRCH while reading: the process is gone.
      return Optional.empty();
    }
  }

  /** Parses one stat line; see {@link Fields}. */
  public static ProcStat parse(String line) {
    return parse(Fields.of(line, START_TIME));
  }

  /** Parses the stat line whose fields (to field 22 or further) are located. */
  static ProcStat parse(Fields fields) {
    return new ProcStat(
        fields.pid(),
        fields.first(STATE),
        fields.number(PPID),
        fields.number(PGRP),
        fields.number(SESSION),
        fields.number(START_TIME));
  }

  /**
   * Where each field of a stat line is, numbered from 1 as in proc(5), read in place without
   * splitting the line into strings. The command name (field 2) is in parentheses and may itself
   * contain spaces and parentheses, so the fields after it are found after the <em>last</em>
   * ')'. Immutable.
   */
  static final class Fields {
    private final String line;
    private final int pidEnd;
    /** Start and end offsets of fields 3..last in the line, two ints per field. */
    private final int[] bounds;
    private final int last;

    private Fields(String line, int pidEnd, int[] bounds, int last) {
      this.line = line;
      this.pidEnd = pidEnd;
      this.bounds = bounds;
      this.last = last;
    }

    /**
     * Locates the fields of {@code line}, checked to reach field {@code last}.
     *
     * @throws IllegalArgumentException when it is not a stat line or is too short
     */
    static Fields of(String line, int last) {
      int open = line.indexOf('(');
      int close = line.lastIndexOf(')');
      if (open < 0 || close < open) {
        throw new IllegalArgumentException("not a /proc/PID/stat line: " + line);
      }
      int count = last - FIRST_FIELD_AFTER_COMM + 1;
      int[] bounds = new int[2 * count];
      int found = 0;
      for (int at = close + 1; at < line.length() && found < count; ) {
        if (isSeparator(line.charAt(at))) {
          at++;
          continue;
        }
        int end = at;
        while (end < line.length() && !isSeparator(line.charAt(end))) {
          end++;
        }
        bounds[2 * found] = at;
        bounds[2 * found + 1] = end;
        found++;
        at = end;
      }
      if (found < count) {
        throw new IllegalArgumentException("too few fields in /proc/PID/stat line: " + line);
      }
      return new Fields(line, open, bounds, last);
    }

    /** Field 1. */
    long pid() {
      return parse(0, pidEnd);
    }

    /** Field {@code number} (3 to the {@code last} it was located to) as a number. */
    long number(int number) {
      int i = 2 * index(number);
      return parse(bounds[i], bounds[i + 1]);
    }

    /** The first character of field {@code number} (3 to the {@code last} it was located to). */
    char first(int number) {
      return line.charAt(bounds[2 * index(number)]);
    }

    /** Where field {@code number} is in {@link #bounds}; one not located is a caller's bug. */
    private int index(int number) {
      if (number < FIRST_FIELD_AFTER_COMM || number > last) {
        throw new IllegalStateException("field " + number + " was not located (fields "
            + FIRST_FIELD_AFTER_COMM + " to " + last + " were)");
      }
      return number - FIRST_FIELD_AFTER_COMM;
    }

    private long parse(int from, int to) {
      while (from < to && isSeparator(line.charAt(from))) {
        from++;
      }
      while (to > from && isSeparator(line.charAt(to - 1))) {
        to--;
      }
      try {
        return Long.parseLong(line, from, to, 10);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number in /proc/PID/stat line: " + line, e);
      }
    }

    private static boolean isSeparator(char c) {
      return c == ' ' || c == '\n';
    }
  }

  public boolean zombie() {
    return state == 'Z';
  }

  public ProcessIdentity identity() {
    return new ProcessIdentity(pid, startTicks);
  }

  /** True when this stat describes the very process of {@code identity} and it is not a zombie. */
  public boolean isLive(ProcessIdentity identity) {
    return !zombie() && pid == identity.pid() && startTicks == identity.startTicks();
  }
}

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
 * run can {@code adopt} the process again. Stateless and thread-safe.
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
   * instance.
   */
  static Optional<String> readLine(long pid) {
    try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
      byte[] buffer = new byte[LINE_BUFFER];
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

  /** Parses one stat line; see {@link #fieldsAfterComm}. */
  public static ProcStat parse(String line) {
    return parse(line, fieldsAfterComm(line, START_TIME));
  }

  /** Parses one stat line whose {@link #fieldsAfterComm} (to field 22 or further) are split. */
  static ProcStat parse(String line, String[] rest) {
    int open = line.indexOf('(');
    return new ProcStat(
        Long.parseLong(line.substring(0, open).trim()),
        field(rest, STATE).charAt(0),
        Long.parseLong(field(rest, PPID)),
        Long.parseLong(field(rest, PGRP)),
        Long.parseLong(field(rest, SESSION)),
        Long.parseLong(field(rest, START_TIME)));
  }

  /**
   * The fields of a stat line from field 3 on, checked to reach field {@code last}. The command
   * name (field 2) is in parentheses and may itself contain spaces and parentheses, so the fixed
   * fields are taken after the <em>last</em> ')'. Read them with {@link #field}.
   */
  static String[] fieldsAfterComm(String line, int last) {
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + line);
    }
    String[] rest = line.substring(close + 1).trim().split(" ");
    if (rest.length < last - FIRST_FIELD_AFTER_COMM + 1) {
      throw new IllegalArgumentException("too few fields in /proc/PID/stat line: " + line);
    }
    return rest;
  }

  /** Field {@code number} (counted from 1 as in proc(5)) of {@link #fieldsAfterComm}'s result. */
  static String field(String[] rest, int number) {
    return rest[number - FIRST_FIELD_AFTER_COMM];
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

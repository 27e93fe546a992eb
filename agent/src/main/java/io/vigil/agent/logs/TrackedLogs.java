package io.vigil.agent.logs;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The log files the agent knows about, and their rotation on housekeeping.
 *
 * <p>Thread-safe; {@link #rotateOversized()} is synchronized so that two housekeeping calls never
 * rotate the same file at once.
 */
public final class TrackedLogs {

  private static final Logger LOG = System.getLogger(TrackedLogs.class.getName());

  private final long maxBytes;
  private final int keep;
  private final Set<Path> files = ConcurrentHashMap.newKeySet();

  /**
   * @param maxBytes a file larger than this is rotated on the next housekeeping
   * @param keep number of rotated copies to keep (0 = truncate only)
   */
  public TrackedLogs(long maxBytes, int keep) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("logMaxBytes must be > 0, was " + maxBytes);
    }
    if (keep < 0) {
      throw new IllegalArgumentException("logKeep must be >= 0, was " + keep);
    }
    this.maxBytes = maxBytes;
    this.keep = keep;
  }

  /** Creates {@code dir} if needed and tracks the pair's files for rotation. */
  public LogFiles open(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    return track(dir, name);
  }

  /** Tracks the pair's files for rotation without touching the disk. */
  public LogFiles track(Path dir, String name) {
    LogFiles logs = LogFiles.of(dir, name);
    files.addAll(logs.both());
    return logs;
  }

  /** Rotates every tracked file over the limit. A failing file is logged and skipped. */
  public synchronized void rotateOversized() {
    for (Path file : files) {
      try {
        if (CopyTruncate.rotateIfOver(file, maxBytes, keep)) {
          LOG.log(Level.DEBUG, "Rotated {0}", file);
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "Cannot rotate log file " + file, e);
      }
    }
  }
}

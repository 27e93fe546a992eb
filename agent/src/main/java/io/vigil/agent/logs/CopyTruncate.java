package io.vigil.agent.logs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Size-based rotation by copy-truncate.
 *
 * <p>Why copy-truncate and not rename: the file descriptor a child writes to was handed to it at
 * launch and lives only in the child (and in whatever it forked); Vigil keeps no copy and cannot
 * make the child reopen anything. Renaming would leave the child writing into the renamed file
 * forever. Truncating the original in place works because the child's descriptor was opened with
 * O_APPEND: each of its writes goes to the current end of file, which is offset 0 after the
 * truncate, so the file does not turn sparse. The price: lines written between the copy and the
 * truncate are lost, which logrotate's copytruncate also accepts.
 *
 * <p>Stateless; callers must not rotate the same file from two threads at once.
 */
public final class CopyTruncate {

  private CopyTruncate() {}

  /**
   * Rotates {@code file} when it is larger than {@code maxBytes}, keeping {@code keep} old copies
   * ({@code keep} = 0: just truncate). Returns whether it rotated.
   */
  public static boolean rotateIfOver(Path file, long maxBytes, int keep) throws IOException {
    BasicFileAttributes attributes;
    try {
      // One stat call for both questions: housekeeping asks them of every log file, every round.
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException notThere) {
      return false; // not yet written, or unreadable: nothing Vigil could rotate
    }
    if (!attributes.isRegularFile() || attributes.size() <= maxBytes) {
      return false;
    }
    rotate(file, keep);
    return true;
  }

  /** Shifts {@code .1 → .2 …} (dropping the oldest), copies the file to .1, truncates it. */
  public static void rotate(Path file, int keep) throws IOException {
    if (keep > 0) {
      Files.deleteIfExists(LogFiles.rotated(file, keep));
      for (int n = keep - 1; n >= 1; n--) {
        Path older = LogFiles.rotated(file, n);
        if (Files.exists(older)) {
          Files.move(older, LogFiles.rotated(file, n + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.copy(file, LogFiles.rotated(file, 1), StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(0);
    }
  }
}

package io.vigil.api;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The last lines of a log file, read backwards from the end in blocks, so a gigabyte log costs
 * no more than the lines asked for. Also stops after {@code maxBytes}: ten thousand very long
 * lines must not fill the heap. A file that does not exist yet is empty.
 *
 * <pre>{@code
 * String last = new LogTail(8 * 1024 * 1024).read(path, 100);   // up to 100 lines
 * }</pre>
 *
 * <p>Stateless apart from its limits; thread-safe.
 */
final class LogTail {
  private static final int BLOCK = 64 * 1024;

  private final long maxBytes;
  private final int block;

  LogTail(long maxBytes) {
    this(maxBytes, BLOCK);
  }

  /** With a chosen block size, so tests can cross block boundaries with small files. */
  LogTail(long maxBytes, int block) {
    this.maxBytes = maxBytes;
    this.block = block;
  }

  /** Up to {@code lines} complete last lines of the file, as UTF-8 (bad bytes replaced). */
  String read(Path file, int lines) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long end = ch.size(); // the writer keeps appending; read what was there now
      long start = startOfLastLines(ch, end, lines);
      ByteBuffer buf = ByteBuffer.allocate((int) (end - start));
      while (buf.hasRemaining() && ch.read(buf, start + buf.position()) >= 0) {
        // read until full; a concurrent truncation (rotation) ends the loop early
      }
      buf.flip();
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(buf).toString();
    } catch (NoSuchFileException e) {
      return "";
    }
  }

  /**
   * Where the last {@code lines} lines begin: just after the newline that precedes them. A
   * newline as the very last byte ends the last line; it does not begin another. Past the byte
   * limit, the first whole line after it (or, for one giant line, its last {@code maxBytes}).
   */
  private long startOfLastLines(FileChannel ch, long end, int lines) throws IOException {
    if (lines <= 0) {
      return end;
    }
    long limit = Math.max(0, end - maxBytes);
    long earliestNewline = -1;
    int remaining = lines;
    ByteBuffer buf = ByteBuffer.allocate(block);
    for (long pos = end; pos > limit; pos -= buf.limit()) {
      int n = (int) Math.min(block, pos - limit);
      buf.clear().limit(n);
      ch.read(buf, pos - n);
      for (int i = n - 1; i >= 0; i--) {
        long at = pos - n + i;
        if (buf.get(i) == '\n' && at != end - 1) {
          if (--remaining == 0) {
            return at + 1;
          }
          earliestNewline = at;
        }
      }
    }
    return limit == 0 ? 0 : earliestNewline >= 0 ? earliestNewline + 1 : limit;
  }
}

package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir Path dir;

  private Path file(String content) throws Exception {
    Path f = dir.resolve("web-0.out.log");
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void lastLinesTable() throws Exception {
    record Case(String content, int lines, String expected) {}
    var cases = new Case[] {
        new Case("a\nb\nc\n", 2, "b\nc\n"),
        new Case("a\nb\nc", 2, "b\nc"), // no final newline: the last line still counts
        new Case("a\nb\nc\n", 3, "a\nb\nc\n"),
        new Case("a\nb\nc\n", 10, "a\nb\nc\n"),
        new Case("a\nb\nc\n", 1, "c\n"),
        new Case("\n\n\n", 2, "\n\n"),
        new Case("", 5, ""),
        new Case("only", 1, "only"),
    };
    for (Case c : cases) {
      // A block of 2 bytes makes every case cross block boundaries
      assertEquals(c.expected, new LogTail(1 << 20, 2).read(file(c.content), c.lines), c.toString());
      assertEquals(c.expected, new LogTail(1 << 20).read(file(c.content), c.lines), c.toString());
    }
  }

  @Test
  void aMissingFileIsEmpty() throws Exception {
    assertEquals("", new LogTail(1024).read(dir.resolve("nope.log"), 10));
  }

  @Test
  void readsOnlyTheEndOfABigFile() throws Exception {
    // Given 100,000 lines
    String all = IntStream.rangeClosed(1, 100_000).mapToObj(i -> "line " + i + "\n")
        .collect(Collectors.joining());
    Path f = file(all);

    // When asking for the last 3 with a byte limit far below the file's size
    String tail = new LogTail(4096, 512).read(f, 3);

    // Then exactly the last 3
    assertEquals("line 99998\nline 99999\nline 100000\n", tail);
  }

  @Test
  void theByteLimitCutsAtTheFirstWholeLine() throws Exception {
    // Given lines of 10 bytes and a limit of 25 bytes
    Path f = file("123456789\nabcdefghi\nABCDEFGHI\n");

    // Then only the lines that fit whole come back
    assertEquals("abcdefghi\nABCDEFGHI\n", new LogTail(25, 4).read(f, 100));
    // And one line longer than the limit comes back as its last bytes
    assertEquals("6789", new LogTail(4, 4).read(file("123456789"), 1));
  }

  @Test
  void invalidUtf8IsReplacedNotFatal() throws Exception {
    Path f = dir.resolve("bin.log");
    Files.write(f, new byte[] {'o', 'k', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
    assertEquals("ok\n\uFFFD\uFFFD\n", new LogTail(1024).read(f, 2));
  }
}

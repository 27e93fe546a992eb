package io.vigil.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyTruncateTest {

  @TempDir Path dir;

  @Test
  void leavesSmallFilesAlone() throws IOException {
    // Given
    Path log = Files.writeString(dir.resolve("a.out.log"), "12345");

    // When
    boolean rotated = CopyTruncate.rotateIfOver(log, 5, 3);

    // Then
    assertFalse(rotated);
    assertEquals("12345", Files.readString(log));
    assertFalse(Files.exists(LogFiles.rotated(log, 1)));
  }

  @Test
  void ignoresMissingFiles() throws IOException {
    assertFalse(CopyTruncate.rotateIfOver(dir.resolve("none.log"), 1, 3));
  }

  @Test
  void leavesWhatIsNotARegularFileAlone() throws IOException {
    // Given: a directory where a log file is expected, larger than the limit as a directory is
    Path notALog = Files.createDirectory(dir.resolve("b.out.log"));
    Files.writeString(notALog.resolve("inside"), "x".repeat(100));

    // Then
    assertFalse(CopyTruncate.rotateIfOver(notALog, 1, 3));
    assertTrue(Files.isDirectory(notALog));
    assertFalse(Files.exists(LogFiles.rotated(notALog, 1)));
  }

  @Test
  void shiftsCopiesAndTruncatesInPlace() throws IOException {
    // Given: a timeline of three rotations with keep = 2.
    Path log = dir.resolve("a.out.log");
    Files.createFile(log);
    Object inodeBefore = fileKey(log);

    for (String content : new String[] {"first!", "second", "third!"}) {
      Files.writeString(log, content);

      // When
      assertTrue(CopyTruncate.rotateIfOver(log, 3, 2));

      // Then: the live file is the same file, now empty.
      assertEquals(0, Files.size(log));
      assertEquals(inodeBefore, fileKey(log));
    }

    // Then: newest first, the oldest dropped.
    assertEquals("third!", Files.readString(LogFiles.rotated(log, 1)));
    assertEquals("second", Files.readString(LogFiles.rotated(log, 2)));
    assertFalse(Files.exists(LogFiles.rotated(log, 3)));
  }

  @Test
  void keepZeroOnlyTruncates() throws IOException {
    // Given
    Path log = Files.writeString(dir.resolve("a.err.log"), "0123456789");

    // When
    CopyTruncate.rotate(log, 0);

    // Then
    assertEquals(0, Files.size(log));
    assertFalse(Files.exists(LogFiles.rotated(log, 1)));
  }

  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }
}

package io.vigil.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackedLogsTest {

  @TempDir Path dir;

  @Test
  void namesOutAndErrFiles() {
    assertEquals(
        List.of(dir.resolve("web-1.out.log"), dir.resolve("web-1.err.log")),
        LogFiles.of(dir, "web-1").both());
    assertEquals(dir.resolve("x.log.2"), LogFiles.rotated(dir.resolve("x.log"), 2));
  }

  @Test
  void openCreatesTheDirectory() throws IOException {
    // Given
    TrackedLogs logs = new TrackedLogs(10, 1);
    Path nested = dir.resolve("a/b");

    // When
    LogFiles files = logs.open(nested, "svc");

    // Then
    assertTrue(Files.isDirectory(nested));
    assertEquals(nested.resolve("svc.out.log"), files.out());
  }

  @Test
  void rotatesOnlyOversizedTrackedFilesAndSkipsMissingOnes() throws IOException {
    // Given: svc's stdout is over the limit, its stderr under it, other's files do not exist,
    // and untracked.out.log is big but unknown to the agent.
    TrackedLogs logs = new TrackedLogs(10, 1);
    LogFiles svc = logs.open(dir, "svc");
    logs.track(dir, "other");
    Files.writeString(svc.out(), "more than ten bytes");
    Files.writeString(svc.err(), "short");
    Path untracked = Files.writeString(dir.resolve("untracked.out.log"), "more than ten bytes");

    // When
    logs.rotateOversized();

    // Then
    assertEquals(0, Files.size(svc.out()));
    assertEquals("more than ten bytes", Files.readString(LogFiles.rotated(svc.out(), 1)));
    assertEquals("short", Files.readString(svc.err()));
    assertFalse(Files.exists(LogFiles.rotated(svc.err(), 1)));
    assertEquals("more than ten bytes", Files.readString(untracked));
  }

  @Test
  void rejectsNonsenseLimits() {
    assertThrows(IllegalArgumentException.class, () -> new TrackedLogs(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new TrackedLogs(10, -1));
  }
}

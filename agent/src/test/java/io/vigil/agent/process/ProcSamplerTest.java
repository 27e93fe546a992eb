package io.vigil.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.agent.ProcessSample;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcSamplerTest {
  /** Fields 3.. of a real line: utime 250, stime 50 ticks, 7 threads, 3000 resident pages. */
  private static final String AFTER_COMM =
      "S 812 4242 4242 0 -1 4194560 120 0 0 0 250 50 0 0 20 0 7 0 987654 2768896 3000 "
          + "18446744073709551615 1 1 0 0 0 0 0 0 65538 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0";

  private final ProcSampler sampler = new ProcSampler(100, 4096);

  @Test
  void cpuThreadsAndResidentMemoryComeFromTheStatLine() {
    // Given a command name that looks like more fields
    String line = "4242 (web 1 2) (x) " + AFTER_COMM;

    // When
    ProcessSample sample = sampler.fromStat(4242, line, 12);

    // Then
    assertEquals(new ProcessSample(4242, 3.0, 3000L * 4096, 7, 12), sample);
  }

  @Test
  void aTruncatedLineIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> sampler.fromStat(4242, "4242 (sh) S 1 4242 4242 0 -1 0 0 0 0 0 1 2", 3));
  }

  @Test
  void nonsenseClockOrPageSizeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ProcSampler(0, 4096));
    assertThrows(IllegalArgumentException.class, () -> new ProcSampler(100, -1));
  }

  @Test
  void theEntriesOfADirectoryAreCounted(@TempDir Path dir) throws Exception {
    // The count older kernels need: their /proc/PID/fd has size 0
    Files.writeString(dir.resolve("a"), "");
    Files.createDirectory(dir.resolve("b"));
    assertEquals(2, ProcSampler.entries(dir));
  }
}

package io.vigil.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MemoryLimitTrackerTest {
  static final long MIB = 1024 * 1024;

  record Step(long rssMib, boolean reported) {}

  static void run(MemoryLimitTracker tracker, List<Step> timeline) {
    for (int i = 0; i < timeline.size(); i++) {
      Step s = timeline.get(i);
      assertEquals(s.reported, tracker.onSample(s.rssMib * MIB).isPresent(), "sample " + i + s);
    }
  }

  @Test
  void reportsAfterEnoughSamplesInARowThenCountsAgain() {
    MemoryLimitTracker tracker =
        new MemoryLimitTracker(new LimitsSpec(OptionalLong.of(512 * MIB), 3));
    run(tracker, List.of(
        new Step(600, false),  // 1
        new Step(610, false),  // 2
        new Step(500, false),  // back under: count restarts
        new Step(512, false),  // at the limit is not over it
        new Step(600, false),  // 1
        new Step(601, false),  // 2
        new Step(612, true),   // 3: report
        new Step(700, false),  // counting again: 1
        new Step(700, false),  // 2
        new Step(700, true))); // 3
  }

  @Test
  void reasonGivesTheSampleTheLimitAndTheCount() {
    MemoryLimitTracker tracker =
        new MemoryLimitTracker(new LimitsSpec(OptionalLong.of(512 * MIB), 3));
    tracker.onSample(600 * MIB);
    tracker.onSample(610 * MIB);
    assertEquals(2, tracker.overInARow());
    assertEquals(Optional.of("memory 612.0 MiB over limit 512.0 MiB in 3 samples in a row"),
        tracker.onSample(612 * MIB));
    assertEquals(0, tracker.overInARow());
  }

  @Test
  void oneSampleIsEnoughWhenConfiguredSo() {
    MemoryLimitTracker tracker =
        new MemoryLimitTracker(new LimitsSpec(OptionalLong.of(100 * MIB + MIB / 2), 1));
    assertEquals(Optional.of("memory 128.0 MiB over limit 100.5 MiB in 1 sample in a row"),
        tracker.onSample(128 * MIB));
  }

  @Test
  void noLimitNeverReports() {
    MemoryLimitTracker tracker = new MemoryLimitTracker(LimitsSpec.none());
    for (int i = 0; i < 10; i++) {
      assertEquals(Optional.empty(), tracker.onSample(Long.MAX_VALUE));
    }
  }

  @Test
  void aNegativeSampleIsABug() {
    MemoryLimitTracker tracker = new MemoryLimitTracker(LimitsSpec.none());
    assertThrows(IllegalArgumentException.class, () -> tracker.onSample(-1));
  }
}

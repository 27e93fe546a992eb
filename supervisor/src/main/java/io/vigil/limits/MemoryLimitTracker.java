package io.vigil.limits;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns resident-memory samples into a restart reason: RSS above the limit in {@code
 * memorySamples} samples in a row (one sample over is often a short spike). After reporting, the
 * count starts again, so a restart that does not help is reported again only after as many
 * samples.
 *
 * <pre>{@code
 * // limit 512 MiB, 3 samples
 * onSample(600 MiB) -> empty; onSample(610 MiB) -> empty;
 * onSample(612 MiB) -> "memory 612.0 MiB over limit 512.0 MiB in 3 samples in a row"
 * }</pre>
 *
 * <p>Not thread-safe: owned by the control thread.
 */
public final class MemoryLimitTracker {
  private static final double MIB = 1024.0 * 1024.0;

  private final LimitsSpec spec;
  private int overInARow;

  public MemoryLimitTracker(LimitsSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  /** One RSS sample; a reason to restart when the limit was exceeded long enough, else empty. */
  public Optional<String> onSample(long residentBytes) {
    if (residentBytes < 0) {
      throw new IllegalArgumentException("residentBytes must be >= 0, was " + residentBytes);
    }
    if (spec.memoryBytes().isEmpty()) {
      return Optional.empty();
    }
    long limit = spec.memoryBytes().getAsLong();
    if (residentBytes <= limit) {
      overInARow = 0;
      return Optional.empty();
    }
    overInARow++;
    if (overInARow < spec.memorySamples()) {
      return Optional.empty();
    }
    overInARow = 0;
    return Optional.of(String.format(Locale.ROOT, "memory %s over limit %s in %d %s in a row",
        mib(residentBytes), mib(limit), spec.memorySamples(),
        spec.memorySamples() == 1 ? "sample" : "samples"));
  }

  /** True when there is a limit, i.e. when samples can lead to a restart. */
  public boolean enforcing() {
    return spec.memoryBytes().isPresent();
  }

  /** Samples over the limit in a row so far (for status). */
  public int overInARow() {
    return overInARow;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
  }
}

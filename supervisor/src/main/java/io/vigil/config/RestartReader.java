package io.vigil.config;

import io.vigil.restart.BackoffSpec;
import io.vigil.restart.GiveUpSpec;
import io.vigil.restart.RestartPolicy;
import io.vigil.restart.RestartSpec;
import java.time.Duration;
import java.util.Optional;

/** Reads {@code restart { policy, backoff, reset-after, give-up }} into a {@link RestartSpec}. */
final class RestartReader {
  private RestartReader() {}

  static Optional<RestartSpec> read(Section restart) {
    int mark = restart.mark();
    RestartPolicy policy = restart.required("policy", Readings.RESTART_POLICY);
    Optional<BackoffSpec> backoff = restart.child("backoff").flatMap(RestartReader::backoff);
    Duration resetAfter = restart.required("reset-after", Readings.POSITIVE_DURATION);
    Optional<GiveUpSpec> giveUp = restart.child("give-up").flatMap(RestartReader::giveUp);
    if (!restart.cleanSince(mark)) {
      return Optional.empty();
    }
    return Optional.of(new RestartSpec(policy, backoff.get(), resetAfter, giveUp.get()));
  }

  private static Optional<BackoffSpec> backoff(Section backoff) {
    int mark = backoff.mark();
    // A zero initial delay would never grow by multiplying: a tight crash loop until give-up.
    Duration initial = backoff.required("initial", Readings.POSITIVE_DURATION);
    Duration max = backoff.required("max", Readings.POSITIVE_DURATION);
    Double multiplier = backoff.required("multiplier", Readings.atLeast(1.0));
    Double jitter = backoff.required("jitter", Readings.between(0.0, 1.0));
    if (initial != null && max != null && max.compareTo(initial) < 0) {
      // Point at a line the user wrote: a line of reference.conf would mean nothing to them.
      backoff.report(backoff.isDefault("max") ? "initial" : "max", "max (" + backoff.shown("max")
          + ") must not be less than initial (" + backoff.shown("initial") + ")");
    }
    if (!backoff.cleanSince(mark)) {
      return Optional.empty();
    }
    return Optional.of(new BackoffSpec(initial, max, multiplier, jitter));
  }

  private static Optional<GiveUpSpec> giveUp(Section giveUp) {
    int mark = giveUp.mark();
    Integer restarts = giveUp.required("restarts", Readings.atLeast(1));
    Duration within = giveUp.required("within", Readings.POSITIVE_DURATION);
    return giveUp.cleanSince(mark) ? Optional.of(new GiveUpSpec(restarts, within)) : Optional.empty();
  }
}

package io.vigil.probe;

import java.util.Objects;
import java.util.Optional;

/**
 * One probe's passing state from its stream of check outcomes, with the kubelet's thresholds: it
 * starts failing after {@code failureThreshold} failures in a row and passing after {@code
 * successThreshold} successes in a row. Only changes are published (as in the kubelet's results
 * manager): {@link #record} returns a verdict when the passing state flips, empty otherwise.
 *
 * <p>Initial state, as the kubelet: a liveness probe passes until proven otherwise; startup and
 * readiness probes fail until they pass.
 *
 * <pre>{@code
 * var readiness = new ProbeTracker(ProbeKind.READINESS, spec);  // successThreshold 2
 * readiness.record(CheckOutcome.success("HTTP 200"));            // empty: 1 of 2
 * readiness.record(CheckOutcome.success("HTTP 200"));            // passing=true
 * }</pre>
 *
 * <p>Not thread-safe: owned by the control thread.
 */
public final class ProbeTracker {
  private final ProbeKind kind;
  private final ProbeSpec spec;
  private boolean passing;
  private int consecutiveSuccesses;
  private int consecutiveFailures;
  private CheckOutcome last;

  public ProbeTracker(ProbeKind kind, ProbeSpec spec) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.passing = kind == ProbeKind.LIVENESS;
  }

  /** Counts one outcome; returns a verdict only if the passing state changed. */
  public Optional<ProbeVerdict> record(CheckOutcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    last = outcome;
    if (outcome.success()) {
      consecutiveSuccesses++;
      consecutiveFailures = 0;
      return flipIf(!passing && consecutiveSuccesses >= spec.successThreshold());
    }
    consecutiveFailures++;
    consecutiveSuccesses = 0;
    return flipIf(passing && consecutiveFailures >= spec.failureThreshold());
  }

  public ProbeKind kind() {
    return kind;
  }

  public ProbeSpec spec() {
    return spec;
  }

  public boolean passing() {
    return passing;
  }

  public Optional<CheckOutcome> last() {
    return Optional.ofNullable(last);
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  public int consecutiveSuccesses() {
    return consecutiveSuccesses;
  }

  /** The latest outcome and its streak, e.g. {@code readiness probe failed (1 of 3): HTTP 500}. */
  public String describeLast() {
    if (last == null) {
      return kind.key() + " probe has not run yet";
    }
    return last.success()
        ? streak("succeeded", consecutiveSuccesses, spec.successThreshold())
        : streak("failed", consecutiveFailures, spec.failureThreshold());
  }

  private String streak(String verb, int count, int threshold) {
    String progress = count < threshold ? count + " of " + threshold : count + " in a row";
    return kind.key() + " probe " + verb + " (" + progress + ")" + detail();
  }

  private Optional<ProbeVerdict> flipIf(boolean flips) {
    if (!flips) {
      return Optional.empty();
    }
    passing = !passing;
    return Optional.of(new ProbeVerdict(kind, passing, passing ? passedReason() : failedReason()));
  }

  private String passedReason() {
    return spec.successThreshold() == 1
        ? kind.key() + " probe succeeded"
        : kind.key() + " probe succeeded " + consecutiveSuccesses + " times in a row";
  }

  private String failedReason() {
    String times = consecutiveFailures == 1 ? "" : " " + consecutiveFailures + " times in a row";
    return kind.key() + " probe failed" + times + detail();
  }

  private String detail() {
    String detail = last.detail();
    return detail == null || detail.isBlank() ? "" : ": " + detail;
  }
}

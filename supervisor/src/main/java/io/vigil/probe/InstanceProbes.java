package io.vigil.probe;

import io.vigil.probe.ProbeDecision.Action;
import io.vigil.time.Nanos;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * All probes of one running instance: when each is due, and what its results mean. One object
 * per launched process; the control loop runs the checks and feeds the results back.
 *
 * <p>Gating and scheduling follow the kubelet:
 *
 * <ul>
 *   <li>The startup probe runs until it passes; liveness and readiness run only after that (at
 *       once if there is no startup probe, or if the instance was re-adopted).
 *   <li>Each probe first runs at {@code startedAt + initialDelay}, counted from the process start
 *       even when a startup probe delays it (then it runs as soon as startup passes).
 *   <li>Afterwards every {@code period}, counted from the launch of the previous check (the time
 *       {@link #due} was given: the control loop gives its tick), but never before its result
 *       arrives: one probe never has two checks in flight. Unlike the kubelet, which spreads its
 *       probes at random, a period that is a multiple of {@link #PHASE_GRID_NANOS} is kept on that
 *       grid, shared by all probes: the check after an off-grid one waits for it, once.
 *   <li>Once a RESTART is decided, no probe is due again; results still in flight are recorded
 *       and answered with NONE, so the restart is decided once.
 * </ul>
 *
 * <pre>{@code
 * var probes = new InstanceProbes(spec, now, false);
 * for (ProbeKind kind : probes.due(now)) runCheck(kind);           // marks them in flight
 * scheduleWakeUp(probes.nextDueNanos());
 * ProbeDecision d = probes.onResult(kind, outcome, now);            // on the control thread
 * }</pre>
 *
 * <p>Not thread-safe: owned by the control thread.
 */
public final class InstanceProbes {
  /**
   * Periodic checks whose period is a multiple of this go out on a grid shared by every probe
   * of every instance (times on the ticker that are multiples of it): at most four launch
   * instants a second for all of them, however their instances' start times are spread. The
   * first check of a probe runs when it is due (initial delay, startup passed, expedited), and
   * so does one whose predecessor answered after a whole period or was launched late (a wake-up
   * a tick or more late); only the check after such an off-grid one waits, once, up to this much
   * longer than its period. A multiple of {@code ProbeAgenda.TICK}, so launches stay on it.
   */
  static final long PHASE_GRID_NANOS = 250_000_000L;

  /** The configured probes in kind order, and each kind's (null if not configured). */
  private final Schedule[] probes;
  private final Schedule[] byKind = new Schedule[ProbeKind.values().length];
  private boolean started;
  private String restartReason; // set once a RESTART is decided; stops all probes

  /**
   * @param startedAtNanos when the process was launched (or adopted), on the control loop's ticker
   * @param alreadyStarted true for a re-adopted instance: the startup probe is skipped
   */
  public InstanceProbes(ProbesSpec spec, long startedAtNanos, boolean alreadyStarted) {
    Objects.requireNonNull(spec, "spec");
    List<Schedule> configured = new ArrayList<>();
    for (ProbeKind kind : ProbeKind.values()) {
      spec.get(kind).ifPresent(p -> {
        byKind[kind.ordinal()] = new Schedule(kind, p, startedAtNanos);
        configured.add(byKind[kind.ordinal()]);
      });
    }
    this.probes = configured.toArray(Schedule[]::new);
    this.started = alreadyStarted || byKind[ProbeKind.STARTUP.ordinal()] == null;
  }

  /** The startup probe passed, or there is none, or the instance was re-adopted. */
  public boolean started() {
    return started;
  }

  /** Started, and the readiness probe (if any) passes. */
  public boolean ready() {
    Schedule readiness = byKind[ProbeKind.READINESS.ordinal()];
    return started && (readiness == null || readiness.tracker.passing());
  }

  /**
   * The probes to run now, in kind order; each is marked in flight until {@link #onResult}, and
   * its next period counts from {@code now}.
   */
  public List<ProbeKind> due(long now) {
    List<ProbeKind> due = new ArrayList<>(probes.length);
    for (Schedule probe : probes) {
      if (isActive(probe.kind) && !probe.inFlight && probe.nextDue <= now) {
        probe.inFlight = true;
        probe.launchedAt = now;
        due.add(probe.kind);
      }
    }
    return due;
  }

  /**
   * Makes a probe due at {@code now} instead of at its next period, as HAProxy's {@code on-error
   * fastinter} does, but at once: used when the load balancer ejects the instance. Returns false
   * when the probe is not configured, not active yet, or already in flight (its result is coming).
   */
  public boolean expedite(ProbeKind kind, long now) {
    Schedule probe = byKind[kind.ordinal()];
    if (probe == null || !isActive(kind) || probe.inFlight) {
      return false;
    }
    probe.nextDue = Math.min(probe.nextDue, now);
    return true;
  }

  /** The earliest time a probe could be due; Long.MAX_VALUE if none can be (in flight, stopped). */
  public long nextDueNanos() {
    long earliest = Long.MAX_VALUE;
    for (Schedule probe : probes) {
      if (isActive(probe.kind) && !probe.inFlight) {
        earliest = Math.min(earliest, probe.nextDue);
      }
    }
    return earliest;
  }

  /**
   * Takes the result of a check that {@link #due} launched and decides what it means.
   *
   * @throws IllegalStateException if no check of that kind is in flight (a bug in the caller)
   */
  public ProbeDecision onResult(ProbeKind kind, CheckOutcome outcome, long now) {
    Schedule probe = byKind[Objects.requireNonNull(kind, "kind").ordinal()];
    if (probe == null || !probe.inFlight) {
      throw new IllegalStateException(
          "result for a " + kind.key() + " check that is not in flight");
    }
    probe.inFlight = false;
    probe.nextDue = Math.max(probe.nextAfter(probe.launchedAt), now);
    Optional<ProbeVerdict> verdict = probe.tracker.record(outcome);
    if (restartReason != null) {
      return ProbeDecision.none("probes stopped after restart decision: " + restartReason);
    }
    return switch (kind) {
      case STARTUP -> verdict.isPresent() ? onStarted(verdict.get(), now) : onStartupFailed(probe);
      case LIVENESS -> verdict.isPresent() && !verdict.get().passing()
          ? restart(verdict.get().reason())
          : ProbeDecision.none(probe.tracker::describeLast);
      case READINESS -> verdict.isPresent()
          ? readinessChanged(verdict.get())
          : ProbeDecision.none(probe.tracker::describeLast);
    };
  }

  /** The latest outcome of each probe that has run. */
  public Map<ProbeKind, CheckOutcome> lastOutcomes() {
    Map<ProbeKind, CheckOutcome> last = new EnumMap<>(ProbeKind.class);
    for (Schedule probe : probes) {
      probe.tracker.last().ifPresent(o -> last.put(probe.kind, o));
    }
    return Collections.unmodifiableMap(last);
  }

  private boolean isActive(ProbeKind kind) {
    return restartReason == null && (kind == ProbeKind.STARTUP ? !started : started);
  }

  private ProbeDecision onStarted(ProbeVerdict verdict, long now) {
    started = true;
    // Their initial delays count from the process start; if those have passed, run them now.
    for (Schedule probe : probes) {
      probe.nextDue = Math.max(probe.nextDue, now);
    }
    return new ProbeDecision(Action.STARTED, verdict.reason());
  }

  private ProbeDecision onStartupFailed(Schedule startup) {
    int failures = startup.tracker.consecutiveFailures();
    if (failures < startup.tracker.spec().failureThreshold()) {
      return ProbeDecision.none(startup.tracker::describeLast);
    }
    String detail = startup.tracker.last().map(CheckOutcome::detail).orElse("");
    return restart("startup probe failed " + failures + (failures == 1 ? " time" : " times")
        + (detail.isBlank() ? "" : ": " + detail));
  }

  private static ProbeDecision readinessChanged(ProbeVerdict verdict) {
    return new ProbeDecision(verdict.passing() ? Action.READY : Action.NOT_READY, verdict.reason());
  }

  private ProbeDecision restart(String reason) {
    restartReason = reason;
    return new ProbeDecision(Action.RESTART, reason);
  }

  /** One probe's tracker and timetable. */
  private static final class Schedule {
    final ProbeKind kind;
    final ProbeTracker tracker;
    final long periodNanos;
    /** The grid its periodic checks keep to; 0 for none (a period off the grid). */
    final long gridNanos;
    long nextDue;
    long launchedAt;
    boolean inFlight;

    Schedule(ProbeKind kind, ProbeSpec spec, long startedAt) {
      this.kind = kind;
      this.tracker = new ProbeTracker(kind, spec);
      this.periodNanos = Nanos.of(spec.period());
      this.gridNanos = periodNanos % PHASE_GRID_NANOS == 0 ? PHASE_GRID_NANOS : 0;
      this.nextDue = Nanos.plus(startedAt, Nanos.of(spec.initialDelay()));
    }

    /** A period after a check launched at {@code launched}, on the grid if it has one. */
    long nextAfter(long launched) {
      long next = Nanos.plus(launched, periodNanos);
      long offGrid = gridNanos == 0 ? 0 : Math.floorMod(next, gridNanos);
      return offGrid == 0 ? next : Nanos.plus(next, gridNanos - offGrid);
    }
  }
}

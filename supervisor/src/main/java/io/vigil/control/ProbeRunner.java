package io.vigil.control;

import io.vigil.probe.CheckOutcome;
import io.vigil.probe.ProbeAgenda;
import io.vigil.probe.ProbeKind;
import io.vigil.probe.ProbeSpec;
import io.vigil.probe.check.CheckTarget;
import io.vigil.probe.check.Checker;
import io.vigil.time.Ticker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the due probes of each instance and feeds their outcomes to the instance's probe policy.
 * One timer on the control loop for all instances: a {@link ProbeAgenda} wakes it once per tick
 * that has probes due, and every probe due by then goes out in that wake-up; results are taken
 * in batches too, at most one tick after they arrive. Checks themselves run asynchronously on the checker's
 * event loop, so probing costs no thread per instance or per probe. Confined to the control
 * thread, but for {@link #post}.
 */
final class ProbeRunner {
  private static final Logger LOG = System.getLogger(ProbeRunner.class.getName());

  /** A finished check, on its way to the control thread; error set means our own bug. */
  private record Result(Instance inst, int generation, ProbeKind kind, CheckOutcome outcome,
      Throwable error, Duration took) {}

  private static final long TICK_NANOS = ProbeAgenda.TICK.toNanos();

  private final InstanceControl supervisor;
  private final ControlLoop loop;
  private final Checker checker;
  private final Ticker ticker;
  private final ProbeAgenda<Instance> agenda = new ProbeAgenda<>(ProbeAgenda.TICK);
  private final Queue<Result> results = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean resultsPosted = new AtomicBoolean();
  private ScheduledFuture<?> wakeUp;
  private long wakeUpAt = Long.MAX_VALUE;

  ProbeRunner(InstanceControl supervisor, ControlLoop loop, Checker checker, Ticker ticker) {
    this.supervisor = supervisor;
    this.loop = loop;
    this.checker = checker;
    this.ticker = ticker;
  }

  void afterStart(Instance inst) {
    supervisor.observer().onProbesStarted(inst.id, inst.spec.probes().kinds());
    supervisor.promoteIfReady(inst, inst.probes.ready()
        ? "ready (no startup or readiness probe)" : "started (no startup probe)");
    schedule(inst);
  }

  /** After the instance's probe times changed from outside (an expedited probe). */
  void reschedule(Instance inst) {
    schedule(inst);
  }

  /** The instance is no longer probed (stopping, or its process is gone). */
  void forget(Instance inst) {
    agenda.cancel(inst);
  }

  private void schedule(Instance inst) {
    if (inst.probes == null || inst.stopIntent != null) {
      agenda.cancel(inst);
      return;
    }
    agenda.plan(inst, inst.probes.nextDueNanos());
    armWakeUp();
  }

  /** Makes sure the loop wakes up by the agenda's next tick. */
  private void armWakeUp() {
    long next = agenda.nextTickNanos();
    if (next >= wakeUpAt) {
      return; // woken up early enough already; a wake-up with nothing due is harmless
    }
    if (wakeUp != null) {
      wakeUp.cancel(false);
    }
    wakeUpAt = next;
    wakeUp = loop.schedule("probes", next - ticker.nanos(), this::onWakeUp);
  }

  private void onWakeUp() {
    wakeUp = null;
    wakeUpAt = Long.MAX_VALUE;
    try {
      ProbeAgenda.Due<Instance> due = agenda.takeDue(ticker.nanos());
      for (Instance inst : due.keys()) {
        launchDue(inst, due.tick());
      }
    } finally {
      armWakeUp(); // even after a bug above, or probing would stop for every instance
    }
  }

  /** Launches the instance's probes due by {@code tick}; their periods count from the tick. */
  private void launchDue(Instance inst, long tick) {
    try {
      if (inst.probes == null || inst.stopIntent != null) {
        return;
      }
      int generation = inst.generation;
      try {
        for (ProbeKind kind : inst.probes.due(tick)) {
          launch(inst, generation, kind);
        }
      } finally {
        schedule(inst); // even after a bug above, or this instance would never be probed again
      }
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "bug while launching the probes of " + inst.id + "; continuing", e);
    }
  }

  private void launch(Instance inst, int generation, ProbeKind kind) {
    ProbeSpec spec = inst.spec.probes().get(kind).orElseThrow();
    long launched = ticker.nanos();
    checker.check(spec.check(), target(inst), spec.timeout()).whenComplete((outcome, error) ->
        post(new Result(inst, generation, kind, outcome, error,
            Duration.ofNanos(ticker.nanos() - launched))));
  }

  /**
   * On the thread that completed the check. The control loop takes results one tick after the
   * first of them arrived, together with every other that arrived meanwhile: probes launched
   * together answer within microseconds to milliseconds of each other, and handing each over
   * at once cost a wake-up of the control thread per result (a futex call each way).
   */
  private void post(Result result) {
    results.add(result);
    if (resultsPosted.compareAndSet(false, true)) {
      try {
        loop.schedule("probe results", TICK_NANOS, this::takeResults);
      } catch (RejectedExecutionException closed) {
        LOG.log(Level.DEBUG, "control loop closed; dropped probe results");
      }
    }
  }

  private void takeResults() {
    resultsPosted.set(false); // a result added from now on posts again
    for (Result r; (r = results.poll()) != null; ) {
      try {
        onResult(r.inst(), r.generation(), r.kind(),
            outcome(r.inst(), r.kind(), r.outcome(), r.error()), r.took());
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "bug while handling a " + r.kind().key() + " probe result of "
            + r.inst().id + "; continuing", e);
      }
    }
  }

  /** The instance's current process as checks see it; built once per launch or adoption. */
  private CheckTarget target(Instance inst) {
    if (inst.probeTarget == null || inst.probeTargetGeneration != inst.generation) {
      inst.probeTarget = new CheckTarget("127.0.0.1", inst.spec.portOf(inst.id.index()),
          inst.spec.workingDir(), supervisor.instanceEnv(inst),
          Optional.ofNullable(inst.process).map(p -> p.identity()));
      inst.probeTargetGeneration = inst.generation;
    }
    return inst.probeTarget;
  }

  private static CheckOutcome outcome(Instance inst, ProbeKind kind, CheckOutcome o, Throwable e) {
    if (e == null) {
      return o;
    }
    // A failing checker is our bug, not the target's fault: log it loudly. The outcome still
    // counts as a failure so the probe is not stuck "in flight" forever.
    LOG.log(Level.ERROR, "bug in " + kind.key() + " probe of " + inst.id, e);
    return CheckOutcome.failure("probe error: " + e);
  }

  private void onResult(Instance inst, int generation, ProbeKind kind, CheckOutcome outcome,
      Duration took) {
    supervisor.observer().onProbe(inst.id, kind, outcome, took);
    if (generation != inst.generation || inst.probes == null || inst.stopIntent != null) {
      return;
    }
    supervisor.onProbeOutcome(inst, kind, outcome);
    supervisor.onProbeDecision(inst, inst.probes.onResult(kind, outcome, ticker.nanos()));
    schedule(inst);
  }
}

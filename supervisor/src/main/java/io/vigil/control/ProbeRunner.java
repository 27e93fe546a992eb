package io.vigil.control;

import io.vigil.probe.CheckOutcome;
import io.vigil.probe.ProbeKind;
import io.vigil.probe.ProbeSpec;
import io.vigil.probe.check.CheckTarget;
import io.vigil.probe.check.Checker;
import io.vigil.time.Ticker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Runs the due probes of each instance and feeds their outcomes to the instance's probe policy.
 * One timer per instance on the control loop, at the earliest time any of its probes is due;
 * checks themselves run asynchronously on the checker's event loop, so probing costs no thread
 * per instance or per probe.
 */
final class ProbeRunner {
  private static final Logger LOG = System.getLogger(ProbeRunner.class.getName());

  private final InstanceControl supervisor;
  private final ControlLoop loop;
  private final Checker checker;
  private final Ticker ticker;

  ProbeRunner(InstanceControl supervisor, ControlLoop loop, Checker checker, Ticker ticker) {
    this.supervisor = supervisor;
    this.loop = loop;
    this.checker = checker;
    this.ticker = ticker;
  }

  void afterStart(Instance inst) {
    supervisor.promoteIfReady(inst, inst.probes.ready()
        ? "ready (no startup or readiness probe)" : "started (no startup probe)");
    schedule(inst);
  }

  /** After the instance's probe times changed from outside (an expedited probe). */
  void reschedule(Instance inst) {
    schedule(inst);
  }

  private void schedule(Instance inst) {
    inst.cancelProbeTimer();
    if (inst.probes == null || inst.stopIntent != null) {
      return;
    }
    long next = inst.probes.nextDueNanos();
    if (next == Long.MAX_VALUE) {
      return;
    }
    int generation = inst.generation;
    inst.probeTimer = loop.schedule("probe " + inst.id, next - ticker.nanos(),
        () -> runDue(inst, generation));
  }

  private void runDue(Instance inst, int generation) {
    if (generation != inst.generation || inst.probes == null || inst.stopIntent != null) {
      return;
    }
    for (ProbeKind kind : inst.probes.due(ticker.nanos())) {
      ProbeSpec spec = inst.spec.probes().get(kind).orElseThrow();
      CheckTarget target = new CheckTarget("127.0.0.1", inst.spec.portOf(inst.id.index()),
          inst.spec.workingDir(), supervisor.instanceEnv(inst),
          Optional.ofNullable(inst.process).map(p -> p.identity()));
      long launched = ticker.nanos();
      checker.check(spec.check(), target, spec.timeout()).whenComplete((outcome, error) -> {
        java.time.Duration took = java.time.Duration.ofNanos(ticker.nanos() - launched);
        loop.execute("probe result of " + inst.id,
            () -> onResult(inst, generation, kind, outcome(inst, kind, outcome, error), took));
      });
    }
    schedule(inst);
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
      java.time.Duration took) {
    supervisor.observer().onProbe(inst.id, kind, outcome, took);
    if (generation != inst.generation || inst.probes == null || inst.stopIntent != null) {
      return;
    }
    supervisor.onProbeOutcome(inst, kind, outcome);
    supervisor.onProbeDecision(inst, inst.probes.onResult(kind, outcome, ticker.nanos()));
    schedule(inst);
  }
}

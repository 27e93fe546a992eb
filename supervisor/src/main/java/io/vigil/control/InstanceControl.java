package io.vigil.control;

import io.vigil.agent.Agent;
import io.vigil.agent.ExitStatus;
import io.vigil.agent.LaunchException;
import io.vigil.agent.LaunchSpec;
import io.vigil.agent.RunningProcess;
import io.vigil.agent.Signal;
import io.vigil.config.ServiceSpec;
import io.vigil.instance.EventLog;
import io.vigil.instance.InstanceId;
import io.vigil.instance.InstanceState;
import io.vigil.instance.Rotation;
import io.vigil.instance.RotationChange;
import io.vigil.instance.Transition;
import io.vigil.limits.MemoryLimitTracker;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.InstanceProbes;
import io.vigil.probe.ProbeDecision;
import io.vigil.probe.ProbeKind;
import io.vigil.restart.RestartDecision;
import io.vigil.restart.RestartTracker;
import io.vigil.time.Ticker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The life of each instance: launch, adoption, exits, orderly stops, restart decisions, probe
 * verdicts and memory limits, each turned into a transition. Runs only on the control thread;
 * {@link Supervisor} decides which instances exist and takes commands from the outside.
 */
final class InstanceControl {
  private static final Logger LOG = System.getLogger(InstanceControl.class.getName());

  private final Map<InstanceId, Instance> instances;
  private final Agent agent;
  private final Ticker ticker;
  private final Clock clock;
  private final RandomGenerator random;
  private final EventLog events;
  private final ControlLoop loop;
  private final StateStore store;
  private final Path logDir;
  final ProbeRunner probes;
  private boolean shuttingDown;
  private volatile SupervisorObserver observer = SupervisorObserver.NONE;
  private volatile TrafficGate gate = TrafficGate.NONE;

  InstanceControl(Map<InstanceId, Instance> instances, Agent agent, io.vigil.probe.check.Checker checker,
      Ticker ticker, Clock clock, RandomGenerator random, EventLog events, ControlLoop loop,
      StateStore store, Path logDir) {
    this.instances = instances;
    this.agent = agent;
    this.ticker = ticker;
    this.clock = clock;
    this.random = random;
    this.events = events;
    this.loop = loop;
    this.store = store;
    this.logDir = logDir;
    this.probes = new ProbeRunner(this, loop, checker, ticker);
  }

  void observe(SupervisorObserver observer) {
    this.observer = observer;
  }

  void gate(TrafficGate gate) {
    this.gate = gate;
  }

  TrafficGate gate() {
    return gate;
  }

  SupervisorObserver observer() {
    return observer;
  }

  /** From now on exits are final: nothing is restarted. */
  void shutDown() {
    shuttingDown = true;
  }

  // ---- launching and adoption -------------------------------------------------------------

  void launch(Instance inst, String reason) {
    inst.cancelRestartTimer();
    RunningProcess process;
    try {
      process = agent.launch(launchSpec(inst));
    } catch (LaunchException e) {
      record(inst, InstanceState.STARTING, reason, null, null);
      record(inst, InstanceState.EXITED, "launch failed: " + e.getMessage(), null, null);
      decide(inst, inst.restarts.onExit(false, "launch failed", ticker.nanos()),
          SupervisorObserver.RestartCause.EXIT);
      return;
    }
    long now = ticker.nanos();
    inst.restarts.onStarted(now);
    attach(inst, process, new InstanceProbes(inst.spec.probes(), now, false));
    record(inst, InstanceState.STARTING, reason, null, null);
    probes.afterStart(inst);
    persist();
  }

  void adopted(Instance inst, RunningProcess process) {
    long now = ticker.nanos();
    inst.restarts.onStarted(now);
    attach(inst, process, new InstanceProbes(inst.spec.probes(), now, true));
    publish(inst.lifecycle.adopt(
        "re-adopted from the previous run", clock.instant(), process.identity().pid()));
    probes.afterStart(inst);
  }

  private void attach(Instance inst, RunningProcess process, InstanceProbes instanceProbes) {
    inst.generation++;
    inst.process = process;
    inst.probes = instanceProbes;
    inst.memory = new MemoryLimitTracker(inst.spec.limits());
    inst.startedAt = clock.instant();
    inst.lastProbes.clear();
    int generation = inst.generation;
    process.onExit().whenComplete((status, error) -> loop.execute("exit of " + inst.id,
        () -> onExit(inst, generation, status != null ? status : ExitStatus.unknown())));
  }

  private LaunchSpec launchSpec(Instance inst) {
    return new LaunchSpec(inst.spec.command(), inst.spec.workingDir(), instanceEnv(inst),
        inst.spec.user(), logDir, logName(inst.id));
  }

  static String logName(InstanceId id) {
    return id.service() + "-" + id.index();
  }

  /** The service's env plus PORT, VIGIL_SERVICE and VIGIL_INSTANCE. */
  Map<String, String> instanceEnv(Instance inst) {
    Map<String, String> env = new LinkedHashMap<>(inst.spec.env());
    inst.spec.portOf(inst.id.index()).ifPresent(p -> env.put("PORT", Integer.toString(p)));
    env.put("VIGIL_SERVICE", inst.id.service());
    env.put("VIGIL_INSTANCE", Integer.toString(inst.id.index()));
    return env;
  }

  static String fingerprint(ServiceSpec spec, int index) {
    return Integer.toHexString(java.util.Objects.hash(spec.command(), spec.workingDir().toString(),
        spec.env(), spec.user(), spec.portOf(index)));
  }

  // ---- exits, stops and restart decisions -------------------------------------------------

  private void onExit(Instance inst, int generation, ExitStatus status) {
    if (generation != inst.generation || inst.process == null) {
      return;
    }
    inst.lastExit = status;
    if (inst.stopIntent != null) {
      return; // the stop in progress finishes the job once the whole group is gone
    }
    // The main process is gone: kill what it left in its group, as the kubelet kills the whole
    // container, so a restarted instance never finds its port held by an orphan.
    agent.signalGroup(inst.process.identity(), Signal.KILL);
    record(inst, InstanceState.EXITED, "exited: " + status.describe(), status.code(), status.signal());
    detach(inst);
    persist();
    decide(inst, inst.restarts.onExit(status.success(), status.describe(), ticker.nanos()),
        SupervisorObserver.RestartCause.EXIT);
  }

  /** Begins an orderly stop; the returned future completes once the instance is down. */
  CompletableFuture<Void> stop(Instance inst, StopIntent intent, String reason) {
    if (inst.process == null) {
      return stopWithoutProcess(inst, intent, reason);
    }
    if (inst.stopIntent != null) {
      if (intent == StopIntent.SHUTDOWN || intent == StopIntent.STOP) {
        inst.stopIntent = intent; // a stronger wish replaces a pending restart
      }
      return inst.stopped;
    }
    inst.stopIntent = intent;
    inst.stopReason = reason;
    inst.stopped = new CompletableFuture<>();
    probes.forget(inst);
    record(inst, InstanceState.STOPPING, reason, null, null);
    int generation = inst.generation;
    RunningProcess process = inst.process;
    // STOPPING took it out of the ready set; requests already in flight finish before the signal.
    gate.drain(inst.id).whenComplete((drained, drainError) -> loop.execute("stop " + inst.id, () ->
        agent.stop(process, inst.spec.stop().signal(), inst.spec.stop().gracePeriod())
            .whenComplete((status, error) -> loop.execute("stopped " + inst.id,
                () -> onStopped(inst, generation, status)))));
    return inst.stopped;
  }

  private CompletableFuture<Void> stopWithoutProcess(Instance inst, StopIntent intent, String why) {
    inst.cancelRestartTimer();
    if (intent == StopIntent.RESTART) {
      applyPendingSpec(inst);
      inst.restarts.reset();
      launch(inst, why);
    } else if (inst.lifecycle.state() == InstanceState.BACKOFF) {
      record(inst, InstanceState.EXITED, why, null, null);
    }
    return CompletableFuture.completedFuture(null);
  }

  private void onStopped(Instance inst, int generation, ExitStatus status) {
    if (generation != inst.generation || inst.process == null) {
      return;
    }
    ExitStatus exit = status != null ? status : inst.lastExit != null ? inst.lastExit
        : ExitStatus.unknown();
    inst.lastExit = exit;
    StopIntent intent = inst.stopIntent;
    inst.stopIntent = null;
    record(inst, InstanceState.EXITED, inst.stopReason + "; " + exit.describe(), exit.code(),
        exit.signal());
    detach(inst);
    persist();
    switch (intent) {
      case UNHEALTHY -> decide(inst, inst.restarts.onUnhealthy(inst.stopReason, ticker.nanos()),
          inst.stopCause);
      case RESTART -> {
        inst.restartCount++; // like the kubelet's restartCount, operator restarts count too
        observer.onRestart(inst.id, inst.stopCause);
        applyPendingSpec(inst);
        inst.restarts.reset();
        launch(inst, inst.stopReason);
      }
      case STOP, SHUTDOWN -> { }
    }
    inst.stopped.complete(null);
  }

  private void detach(Instance inst) {
    probes.forget(inst);
    inst.process = null;
    inst.probes = null;
  }

  private void decide(Instance inst, RestartDecision decision,
      SupervisorObserver.RestartCause cause) {
    if (shuttingDown) {
      return;
    }
    switch (decision.action()) {
      case RESTART -> {
        inst.restartCount++;
        observer.onRestart(inst.id, cause);
        if (decision.delayNanos() == 0) {
          launch(inst, decision.reason());
        } else {
          record(inst, InstanceState.BACKOFF, decision.reason() + "; next start in "
              + Duration.ofNanos(decision.delayNanos()).toMillis() + "ms", null, null);
          inst.restartTimer = loop.schedule("restart " + inst.id, decision.delayNanos(), () -> {
            if (inst.lifecycle.state() == InstanceState.BACKOFF) {
              launch(inst, "backoff over: " + decision.reason());
            }
          });
        }
      }
      case GIVE_UP -> {
        record(inst, InstanceState.FAILED, decision.reason(), null, null);
        LOG.log(Level.ERROR, inst.id + " FAILED: " + decision.reason());
      }
      case STAY_DOWN -> LOG.log(Level.INFO, inst.id + " stays down: " + decision.reason());
    }
  }

  // ---- probe verdicts and samples (called on the control thread) --------------------------

  void onProbeDecision(Instance inst, ProbeDecision decision) {
    InstanceState state = inst.lifecycle.state();
    switch (decision.action()) {
      case STARTED -> {
        if (state == InstanceState.STARTING) {
          record(inst, inst.probes.ready() ? InstanceState.READY : InstanceState.RUNNING,
              decision.reason(), null, null);
        }
      }
      case READY -> {
        if (state == InstanceState.RUNNING) {
          record(inst, InstanceState.READY, decision.reason(), null, null);
        }
      }
      case NOT_READY -> {
        if (state == InstanceState.READY) {
          record(inst, InstanceState.RUNNING, decision.reason(), null, null);
        }
      }
      case RESTART -> {
        inst.stopCause = decision.reason().startsWith("startup")
            ? SupervisorObserver.RestartCause.STARTUP : SupervisorObserver.RestartCause.LIVENESS;
        stop(inst, StopIntent.UNHEALTHY, decision.reason());
      }
      case NONE -> { }
    }
  }

  /** After a launch or adoption: an instance without startup/readiness probes is ready at once. */
  void promoteIfReady(Instance inst, String reason) {
    if (inst.lifecycle.state() == InstanceState.STARTING && inst.probes.started()) {
      record(inst, inst.probes.ready() ? InstanceState.READY : InstanceState.RUNNING, reason,
          null, null);
    } else if (inst.lifecycle.state() == InstanceState.RUNNING && inst.probes.ready()) {
      record(inst, InstanceState.READY, reason, null, null);
    }
  }

  /** Records what the load balancer did; an ejection checks liveness now, not a period later. */
  void onRotation(RotationChange change) {
    events.add(change);
    LOG.log(change.to() == Rotation.EJECTED || change.refused() ? Level.WARNING : Level.INFO,
        change.describe());
    Instance inst = instances.get(change.instance());
    if (inst != null && change.to() == Rotation.EJECTED) {
      expediteLiveness(inst);
    }
  }

  private void expediteLiveness(Instance inst) {
    if (inst.probes != null && inst.stopIntent == null
        && inst.probes.expedite(ProbeKind.LIVENESS, ticker.nanos())) {
      probes.reschedule(inst);
    }
  }

  void onMemoryOverLimit(Instance inst, String reason) {
    inst.stopCause = SupervisorObserver.RestartCause.MEMORY;
    stop(inst, StopIntent.UNHEALTHY, reason);
  }

  List<Instance> liveInstances() {
    return instances.values().stream()
        .filter(i -> i.process != null && i.stopIntent == null).toList();
  }

  void onProbeOutcome(Instance inst, ProbeKind kind, CheckOutcome outcome) {
    inst.lastProbes.put(kind, outcome);
  }

  // ---- bookkeeping ------------------------------------------------------------------------

  private void record(Instance inst, InstanceState to, String reason, Integer code, Integer sig) {
    publish(inst.lifecycle.moveTo(to, reason, clock.instant(), inst.pid(), code, sig));
    if (to == InstanceState.READY || to == InstanceState.FAILED) {
      inst.notifyWaiters(to == InstanceState.READY, reason);
    }
  }

  private void publish(Transition t) {
    if (t.from() == InstanceState.READY || t.to() == InstanceState.READY) {
      gate.onReady(t.instance().service(), readySet(t.instance().service(), t));
    }
    events.add(t);
    LOG.log(t.to() == InstanceState.FAILED ? Level.ERROR : Level.INFO, t.describe());
  }

  /** The ready endpoints of a service, counting the transition being published. */
  private List<TrafficGate.Endpoint> readySet(String service, Transition t) {
    List<TrafficGate.Endpoint> ready = new ArrayList<>();
    for (Instance inst : instances.values()) {
      InstanceState state = inst.id.equals(t.instance()) ? t.to() : inst.lifecycle.state();
      if (inst.id.service().equals(service) && state == InstanceState.READY) {
        inst.spec.portOf(inst.id.index())
            .ifPresent(port -> ready.add(new TrafficGate.Endpoint(inst.id, port)));
      }
    }
    return ready;
  }

  void persist() {
    List<PersistedInstance> live = new ArrayList<>();
    for (Instance inst : instances.values()) {
      if (inst.process != null) {
        live.add(new PersistedInstance(inst.id.service(), inst.id.index(),
            inst.process.identity(), inst.spec.portOf(inst.id.index()).orElse(0),
            fingerprint(inst.spec, inst.id.index())));
      }
    }
    store.save(live);
  }

  void applyPendingSpec(Instance inst) {
    if (inst.pendingSpec != null) {
      inst.spec = inst.pendingSpec;
      inst.restarts = new RestartTracker(inst.spec.restart(), random);
      inst.pendingSpec = null;
    }
  }
}

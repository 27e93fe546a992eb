package io.vigil.control;

import io.vigil.agent.Agent;
import io.vigil.agent.ExitStatus;
import io.vigil.agent.LaunchException;
import io.vigil.agent.LaunchSpec;
import io.vigil.agent.RunningProcess;
import io.vigil.agent.Signal;
import io.vigil.config.ServiceSpec;
import io.vigil.config.VigilConfig;
import io.vigil.instance.EventLog;
import io.vigil.instance.InstanceId;
import io.vigil.instance.InstanceState;
import io.vigil.instance.Transition;
import io.vigil.limits.MemoryLimitTracker;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.InstanceProbes;
import io.vigil.probe.ProbeDecision;
import io.vigil.probe.ProbeKind;
import io.vigil.probe.check.Checker;
import io.vigil.restart.RestartDecision;
import io.vigil.restart.RestartTracker;
import io.vigil.time.Ticker;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * Runs every configured instance: launches, re-adopts after a crash of Vigil, reacts to exits,
 * probe verdicts and resource samples by asking the policies, and stops everything on shutdown.
 *
 * <p>Thread-safety: public methods may be called from any thread; they post work to the one
 * control thread, which is the only one that touches {@link Instance} objects.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger LOG = System.getLogger(Supervisor.class.getName());

  private final VigilConfig config;
  private final Agent agent;
  private final Ticker ticker;
  private final Clock clock;
  private final RandomGenerator random;
  private final EventLog events;
  private final ControlLoop loop = new ControlLoop();
  private final StateStore store;
  private final ProbeRunner probes;
  private final ResourceSampler sampler;
  private final Map<InstanceId, Instance> instances = new LinkedHashMap<>();
  private boolean shuttingDown;

  public Supervisor(VigilConfig config, Agent agent, Checker checker, Ticker ticker, Clock clock,
      RandomGenerator random) {
    this.config = config;
    this.agent = agent;
    this.ticker = ticker;
    this.clock = clock;
    this.random = random;
    this.events = new EventLog(config.daemon().eventLogSize());
    this.store = new StateStore(config.daemon().stateDir());
    this.probes = new ProbeRunner(this, loop, checker, ticker);
    this.sampler = new ResourceSampler(this, loop, agent, config.daemon().sampleInterval());
  }

  public EventLog events() {
    return events;
  }

  /** Re-adopts the previous run's instances, then starts the missing ones. */
  public CompletableFuture<Void> start() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute("start", () -> {
      boot();
      done.complete(null);
    });
    return done;
  }

  private void boot() {
    createStateDirs();
    for (ServiceSpec spec : config.services().values()) {
      for (int i = 0; i < spec.instances(); i++) {
        InstanceId id = new InstanceId(spec.name(), i);
        instances.put(id, new Instance(id, spec, new RestartTracker(spec.restart(), random)));
      }
    }
    new Adoption(agent, this::fingerprint).adopt(store.load(), instances, this::adopted,
        inst -> stop(inst, StopIntent.RESTART, "settings changed since the previous run"));
    for (Instance inst : instances.values()) {
      if (inst.process == null) {
        launch(inst, "initial start");
      }
    }
    persist();
    sampler.start();
  }

  private void createStateDirs() {
    try {
      Files.createDirectories(logDir());
    } catch (IOException e) {
      LOG.log(Level.ERROR, "cannot create " + logDir() + ": " + e.getMessage());
    }
  }

  private Path logDir() {
    return config.daemon().stateDir().resolve("logs");
  }

  /** A copy of every instance's state, taken on the control thread. */
  public CompletableFuture<List<InstanceView>> snapshot() {
    CompletableFuture<List<InstanceView>> result = new CompletableFuture<>();
    loop.execute("snapshot", () -> result.complete(
        instances.values().stream().map(Instance::view).toList()));
    return result;
  }

  /** Restarts one instance (stop with its grace period, then start with a clean history). */
  public CompletableFuture<Void> restart(InstanceId id) {
    return onInstance(id, inst -> stop(inst, StopIntent.RESTART, "restart requested by operator"));
  }

  /** Stops one instance; it stays down until started. */
  public CompletableFuture<Void> stop(InstanceId id) {
    return onInstance(id, inst -> stop(inst, StopIntent.STOP, "stop requested by operator"));
  }

  /** Starts a stopped, backing-off or FAILED instance at once, with a clean restart history. */
  public CompletableFuture<Void> start(InstanceId id) {
    return onInstance(id, inst -> {
      if (inst.process == null) {
        inst.restarts.reset();
        launch(inst, "start requested by operator");
      }
      return CompletableFuture.completedFuture(null);
    });
  }

  private CompletableFuture<Void> onInstance(
      InstanceId id, java.util.function.Function<Instance, CompletableFuture<Void>> action) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    loop.execute("command on " + id, () -> {
      Instance inst = instances.get(id);
      if (inst == null) {
        result.completeExceptionally(new NoSuchElementException("no instance " + id));
      } else {
        action.apply(inst).whenComplete((v, e) -> result.complete(null));
      }
    });
    return result;
  }

  // ---- launching and adoption -------------------------------------------------------------

  private void launch(Instance inst, String reason) {
    inst.cancelRestartTimer();
    RunningProcess process;
    try {
      process = agent.launch(launchSpec(inst));
    } catch (LaunchException e) {
      record(inst, InstanceState.STARTING, reason, null, null);
      record(inst, InstanceState.EXITED, "launch failed: " + e.getMessage(), null, null);
      decide(inst, inst.restarts.onExit(false, "launch failed", ticker.nanos()));
      return;
    }
    long now = ticker.nanos();
    inst.restarts.onStarted(now);
    attach(inst, process, new InstanceProbes(inst.spec.probes(), now, false));
    record(inst, InstanceState.STARTING, reason, null, null);
    probes.afterStart(inst);
    persist();
  }

  private void adopted(Instance inst, RunningProcess process) {
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
        inst.spec.user(), logDir(), inst.id.service() + "-" + inst.id.index());
  }

  /** The service's env plus PORT, VIGIL_SERVICE and VIGIL_INSTANCE. */
  Map<String, String> instanceEnv(Instance inst) {
    Map<String, String> env = new LinkedHashMap<>(inst.spec.env());
    inst.spec.portOf(inst.id.index()).ifPresent(p -> env.put("PORT", Integer.toString(p)));
    env.put("VIGIL_SERVICE", inst.id.service());
    env.put("VIGIL_INSTANCE", Integer.toString(inst.id.index()));
    return env;
  }

  String fingerprint(ServiceSpec spec, int index) {
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
    decide(inst, inst.restarts.onExit(status.success(), status.describe(), ticker.nanos()));
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
    inst.cancelProbeTimer();
    record(inst, InstanceState.STOPPING, reason, null, null);
    int generation = inst.generation;
    agent.stop(inst.process, inst.spec.stop().signal(), inst.spec.stop().gracePeriod())
        .whenComplete((status, error) -> loop.execute("stopped " + inst.id,
            () -> onStopped(inst, generation, status)));
    return inst.stopped;
  }

  private CompletableFuture<Void> stopWithoutProcess(Instance inst, StopIntent intent, String why) {
    inst.cancelRestartTimer();
    if (intent == StopIntent.RESTART) {
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
      case UNHEALTHY -> decide(inst, inst.restarts.onUnhealthy(inst.stopReason, ticker.nanos()));
      case RESTART -> {
        inst.restarts.reset();
        launch(inst, "restarted by operator");
      }
      case STOP, SHUTDOWN -> { }
    }
    inst.stopped.complete(null);
  }

  private void detach(Instance inst) {
    inst.cancelProbeTimer();
    inst.process = null;
    inst.probes = null;
  }

  private void decide(Instance inst, RestartDecision decision) {
    if (shuttingDown) {
      return;
    }
    switch (decision.action()) {
      case RESTART -> {
        inst.restartCount++;
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
      case RESTART -> stop(inst, StopIntent.UNHEALTHY, decision.reason());
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

  void onMemoryOverLimit(Instance inst, String reason) {
    stop(inst, StopIntent.UNHEALTHY, reason);
  }

  List<Instance> liveInstances() {
    return instances.values().stream()
        .filter(i -> i.process != null && i.stopIntent == null).toList();
  }

  void onProbeOutcome(Instance inst, ProbeKind kind, CheckOutcome outcome) {
    inst.lastProbes.put(kind, outcome);
  }

  // ---- shutdown ---------------------------------------------------------------------------

  /** Stops every instance in parallel, each with its own grace period. */
  public CompletableFuture<Void> shutdown() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute("shutdown", () -> {
      shuttingDown = true;
      sampler.stop();
      List<CompletableFuture<Void>> stops = new ArrayList<>();
      for (Instance inst : instances.values()) {
        inst.cancelRestartTimer();
        stops.add(stop(inst, StopIntent.SHUTDOWN, "Vigil is shutting down"));
      }
      CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
          .whenComplete((v, e) -> done.complete(null));
    });
    return done;
  }

  @Override
  public void close() {
    sampler.close();
    loop.close();
    store.close();
  }

  // ---- bookkeeping ------------------------------------------------------------------------

  private void record(Instance inst, InstanceState to, String reason, Integer code, Integer sig) {
    publish(inst.lifecycle.moveTo(to, reason, clock.instant(), inst.pid(), code, sig));
  }

  private void publish(Transition t) {
    events.add(t);
    LOG.log(t.to() == InstanceState.FAILED ? Level.ERROR : Level.INFO, t.describe());
  }

  private void persist() {
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
}

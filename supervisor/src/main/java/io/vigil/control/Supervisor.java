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
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Runs every configured instance: launches, re-adopts after a crash of Vigil, reacts to exits,
 * probe verdicts and resource samples by asking the policies, and stops everything on shutdown.
 *
 * <p>Thread-safety: public methods may be called from any thread; they post work to the one
 * control thread, which is the only one that touches {@link Instance} objects.
 */
public final class Supervisor implements Commands, AutoCloseable {
  private static final Logger LOG = System.getLogger(Supervisor.class.getName());

  /** Longest wait for one replaced instance to become READY during a rolling restart. */
  private static final Duration ROLL_STEP_TIMEOUT = Duration.ofMinutes(5);

  private VigilConfig config;
  private final java.util.Set<String> rolling = new java.util.HashSet<>();
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
  private volatile SupervisorObserver observer = SupervisorObserver.NONE;

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

  /** Registers the one observer (metrics); call before {@link #start()}. */
  public void observe(SupervisorObserver observer) {
    this.observer = observer;
  }

  SupervisorObserver observer() {
    return observer;
  }

  /**
   * Completes once the control thread has run a task: proof that the supervisor is working,
   * for systemd's watchdog and the API's health check.
   */
  public CompletableFuture<Void> ping() {
    return onLoop("ping", () -> CompletableFuture.completedFuture(null));
  }

  @Override
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
    return onLoop("snapshot", () -> CompletableFuture.completedFuture(
        instances.values().stream().map(Instance::view).toList()));
  }

  @Override
  public CompletableFuture<List<ServiceView>> services() {
    return onLoop("services", () -> CompletableFuture.completedFuture(serviceViews()));
  }

  private List<ServiceView> serviceViews() {
    Map<String, List<InstanceView>> byService = new LinkedHashMap<>();
    config.services().keySet().forEach(name -> byService.put(name, new ArrayList<>()));
    for (Instance inst : instances.values()) {
      byService.computeIfAbsent(inst.id.service(), k -> new ArrayList<>()).add(inst.view());
    }
    List<ServiceView> views = new ArrayList<>();
    byService.forEach((name, list) -> {
      ServiceSpec spec = config.services().get(name);
      views.add(new ServiceView(name, spec == null ? 0 : spec.instances(), list));
    });
    return views;
  }

  @Override
  public CompletableFuture<Void> restartInstance(InstanceId id) {
    return onInstance(id, inst -> {
      inst.stopCause = SupervisorObserver.RestartCause.OPERATOR;
      return stop(inst, StopIntent.RESTART, "restart requested by operator");
    });
  }

  @Override
  public CompletableFuture<Void> stopInstance(InstanceId id) {
    return onInstance(id, inst -> stop(inst, StopIntent.STOP, "stop requested by operator"));
  }

  @Override
  public CompletableFuture<Void> startInstance(InstanceId id) {
    return onInstance(id, inst -> {
      startIfDown(inst, "start requested by operator");
      return CompletableFuture.completedFuture(null);
    });
  }

  @Override
  public CompletableFuture<Void> restartService(String service) {
    return onService(service, members -> {
      if (!rolling.add(service)) {
        return CompletableFuture.failedFuture(new IllegalStateException(
            "a rolling restart of " + service + " is already in progress"));
      }
      return roll(members, null, "rolling restart requested by operator")
          .whenComplete((v, e) -> loop.execute("roll done", () -> rolling.remove(service)));
    });
  }

  @Override
  public CompletableFuture<Void> stopService(String service) {
    return onService(service, members -> CompletableFuture.allOf(members.stream()
        .map(inst -> stop(inst, StopIntent.STOP, "stop of " + service + " requested by operator"))
        .toArray(CompletableFuture[]::new)));
  }

  @Override
  public CompletableFuture<Void> startService(String service) {
    return onService(service, members -> {
      members.forEach(inst -> startIfDown(inst, "start of " + service + " requested by operator"));
      return CompletableFuture.completedFuture(null);
    });
  }

  @Override
  public CompletableFuture<ReloadResult> reload(VigilConfig next) {
    return onLoop("reload", () -> CompletableFuture.completedFuture(applyReload(next)));
  }

  @Override
  public List<Path> logFiles(InstanceId id) {
    return agent.logFiles(logDir(), logName(id));
  }

  private void startIfDown(Instance inst, String reason) {
    if (inst.process == null) {
      inst.restarts.reset();
      launch(inst, reason);
    }
  }

  private <T> CompletableFuture<T> onLoop(String what, Supplier<CompletableFuture<T>> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(what, () -> action.get().whenComplete((v, e) -> {
      if (e != null) {
        result.completeExceptionally(e instanceof CompletionException && e.getCause() != null
            ? e.getCause() : e);
      } else {
        result.complete(v);
      }
    }));
    return result;
  }

  private CompletableFuture<Void> onInstance(
      InstanceId id, Function<Instance, CompletableFuture<Void>> action) {
    return onLoop("command on " + id, () -> {
      Instance inst = instances.get(id);
      return inst == null
          ? CompletableFuture.failedFuture(new NoSuchElementException("no instance " + id))
          : action.apply(inst);
    });
  }

  private CompletableFuture<Void> onService(
      String service, Function<List<Instance>, CompletableFuture<Void>> action) {
    return onLoop("command on " + service, () -> {
      List<Instance> members = membersOf(service);
      return members.isEmpty() && !config.services().containsKey(service)
          ? CompletableFuture.failedFuture(new NoSuchElementException("no service " + service))
          : action.apply(members);
    });
  }

  private List<Instance> membersOf(String service) {
    return instances.values().stream().filter(i -> i.id.service().equals(service)).toList();
  }

  // ---- rolling replacement and reload -----------------------------------------------------

  /**
   * Replaces instances one at a time: each must be READY again before the next is touched, so
   * a bad new version stops the roll with the rest of the service still serving.
   */
  private CompletableFuture<Void> roll(List<Instance> members, ServiceSpec next, String reason) {
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (Instance inst : members) {
      chain = chain.thenCompose(v -> onLoop("replace " + inst.id, () -> replace(inst, next, reason)));
    }
    return chain;
  }

  private CompletableFuture<Void> replace(Instance inst, ServiceSpec next, String reason) {
    CompletableFuture<Void> ready = inst.awaitReady().orTimeout(ROLL_STEP_TIMEOUT.toMinutes(),
        java.util.concurrent.TimeUnit.MINUTES);
    inst.pendingSpec = next;
    inst.stopCause = next == null
        ? SupervisorObserver.RestartCause.OPERATOR : SupervisorObserver.RestartCause.RELOAD;
    if (inst.process == null) {
      applyPendingSpec(inst);
      startIfDown(inst, reason);
    } else {
      stop(inst, StopIntent.RESTART, reason);
    }
    return ready;
  }

  private void applyPendingSpec(Instance inst) {
    if (inst.pendingSpec != null) {
      inst.spec = inst.pendingSpec;
      inst.restarts = new RestartTracker(inst.spec.restart(), random);
      inst.pendingSpec = null;
    }
  }

  private ReloadResult applyReload(VigilConfig next) {
    if (!next.daemon().equals(config.daemon())) {
      LOG.log(Level.WARNING, "changes to vigil { ... } settings take effect at the next start");
    }
    Map<String, ServiceSpec> before = config.services();
    Map<String, ServiceSpec> after = next.services();
    config = new VigilConfig(next.source(), config.daemon(), after);
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    for (String name : before.keySet()) {
      if (!after.containsKey(name)) {
        removed.add(name);
        membersOf(name).forEach(this::retire);
      }
    }
    for (ServiceSpec spec : after.values()) {
      ServiceSpec old = before.get(spec.name());
      if (old == null) {
        added.add(spec.name());
      } else if (old.withInstances(spec.instances()).sameSettingsAs(spec)) {
        (old.instances() == spec.instances() ? unchanged : changed).add(spec.name());
        membersOf(spec.name()).forEach(inst -> inst.spec = spec);
      } else {
        changed.add(spec.name());
        List<Instance> kept = membersOf(spec.name()).stream()
            .filter(i -> i.id.index() < spec.instances()).toList();
        roll(kept, spec, "configuration changed");
      }
      resize(spec);
    }
    persist();
    LOG.log(Level.INFO, "reloaded " + next.source() + ": added " + added + ", removed " + removed
        + ", changed " + changed + ", unchanged " + unchanged.size());
    return new ReloadResult(added, removed, changed, unchanged);
  }

  /** Starts missing instances and retires those above the service's count. */
  private void resize(ServiceSpec spec) {
    for (Instance inst : membersOf(spec.name())) {
      if (inst.id.index() >= spec.instances()) {
        retire(inst);
      }
    }
    for (int i = 0; i < spec.instances(); i++) {
      InstanceId id = new InstanceId(spec.name(), i);
      if (!instances.containsKey(id)) {
        Instance inst = new Instance(id, spec, new RestartTracker(spec.restart(), random));
        instances.put(id, inst);
        launch(inst, "added by reload");
      }
    }
  }

  /** Stops an instance for good and forgets it once it is down. */
  private void retire(Instance inst) {
    inst.cancelRestartTimer();
    stop(inst, StopIntent.SHUTDOWN, "removed from the configuration").whenComplete((v, e) ->
        loop.execute("forget " + inst.id, () -> {
          if (instances.get(inst.id) == inst && inst.process == null) {
            instances.remove(inst.id);
            inst.notifyWaiters(false, "removed from the configuration");
          }
        }));
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
        inst.spec.user(), logDir(), logName(inst.id));
  }

  private static String logName(InstanceId id) {
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
    inst.cancelProbeTimer();
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
    if (to == InstanceState.READY || to == InstanceState.FAILED) {
      inst.notifyWaiters(to == InstanceState.READY, reason);
    }
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

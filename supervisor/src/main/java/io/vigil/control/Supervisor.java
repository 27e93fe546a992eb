package io.vigil.control;

import io.vigil.agent.Agent;
import io.vigil.config.ServiceSpec;
import io.vigil.config.VigilConfig;
import io.vigil.instance.EventLog;
import io.vigil.instance.InstanceId;
import io.vigil.instance.RotationChange;
import io.vigil.probe.check.Checker;
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
  private final InstanceControl control;
  private final ResourceSampler sampler;
  private final Map<InstanceId, Instance> instances = new LinkedHashMap<>();

  public Supervisor(VigilConfig config, Agent agent, Checker checker, Ticker ticker, Clock clock,
      RandomGenerator random) {
    this.config = config;
    this.agent = agent;
    this.ticker = ticker;
    this.clock = clock;
    this.random = random;
    this.events = new EventLog(config.daemon().eventLogSize());
    this.store = new StateStore(config.daemon().stateDir());
    this.control = new InstanceControl(instances, agent, checker, ticker, clock, random, events,
        loop, store, logDir());
    this.sampler = new ResourceSampler(control, loop, agent, ticker,
        config.daemon().sampleInterval());
  }

  /** Registers the one observer (metrics); call before {@link #start()}. */
  public void observe(SupervisorObserver observer) {
    control.observe(observer);
  }

  /** Registers the load balancer; call before {@link #start()}. */
  public void gate(TrafficGate gate) {
    control.gate(gate);
  }

  /**
   * The load balancer ejected an instance, returned it to rotation, or was kept from ejecting it.
   * Never blocks (called on a Netty event loop): the change is posted to the control thread, which
   * records it in the event log in order with the instances' transitions, and on an ejection
   * checks the instance's liveness at once, so a dead or hung instance is restarted now rather
   * than a probe period later.
   */
  public void onRotation(RotationChange change) {
    loop.execute("rotation of " + change.instance(), () -> control.onRotation(change));
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
    new Adoption(agent, InstanceControl::fingerprint).adopt(store.load(), instances,
        control::adopted,
        inst -> control.stop(inst, StopIntent.RESTART, "settings changed since the previous run"));
    for (Instance inst : instances.values()) {
      if (inst.process == null) {
        control.launch(inst, "initial start");
      }
    }
    control.persist();
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

  @Override
  public CompletableFuture<List<ServiceView>> servicesWithSamples() {
    // Samples older than the sample interval are taken again first, on the sampler thread.
    return onLoop("services with samples",
        () -> sampler.refreshStale().thenApply(sampled -> serviceViews()));
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
      views.add(new ServiceView(name, spec == null ? 0 : spec.instances(), list,
          control.gate().endpoints(name)));
    });
    return views;
  }

  @Override
  public CompletableFuture<Void> restartInstance(InstanceId id) {
    return onInstance(id, inst -> {
      inst.stopCause = SupervisorObserver.RestartCause.OPERATOR;
      return control.stop(inst, StopIntent.RESTART, "restart requested by operator");
    });
  }

  @Override
  public CompletableFuture<Void> stopInstance(InstanceId id) {
    return onInstance(id, inst -> control.stop(inst, StopIntent.STOP, "stop requested by operator"));
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
        .map(inst -> control.stop(inst, StopIntent.STOP, "stop of " + service + " requested by operator"))
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
    return agent.logFiles(logDir(), InstanceControl.logName(id));
  }

  private void startIfDown(Instance inst, String reason) {
    if (inst.process == null) {
      inst.restarts.reset();
      control.launch(inst, reason);
    }
  }

  private <T> CompletableFuture<T> onLoop(String what, Supplier<CompletableFuture<T>> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(what, () -> {
      CompletableFuture<T> started;
      try {
        started = action.get();
      } catch (RuntimeException e) { // e.g. the loop closing under a timer it schedules
        result.completeExceptionally(e);
        throw e;
      }
      started.whenComplete((v, e) -> {
        if (e != null) {
          result.completeExceptionally(e instanceof CompletionException && e.getCause() != null
              ? e.getCause() : e);
        } else {
          result.complete(v);
        }
      });
    });
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
      control.applyPendingSpec(inst);
      startIfDown(inst, reason);
    } else {
      control.stop(inst, StopIntent.RESTART, reason);
    }
    return ready;
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
    control.persist();
    control.gate().onConfig(config);
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
        control.launch(inst, "added by reload");
      }
    }
  }

  /** Stops an instance for good and forgets it once it is down. */
  private void retire(Instance inst) {
    inst.cancelRestartTimer();
    control.stop(inst, StopIntent.SHUTDOWN, "removed from the configuration").whenComplete((v, e) ->
        loop.execute("forget " + inst.id, () -> {
          if (instances.get(inst.id) == inst && inst.process == null) {
            instances.remove(inst.id);
            inst.notifyWaiters(false, "removed from the configuration");
          }
        }));
  }

  // ---- shutdown ---------------------------------------------------------------------------

  /** Stops every instance in parallel, each with its own grace period. */
  public CompletableFuture<Void> shutdown() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute("shutdown", () -> {
      control.shutDown();
      sampler.stop();
      List<CompletableFuture<Void>> stops = new ArrayList<>();
      for (Instance inst : instances.values()) {
        inst.cancelRestartTimer();
        stops.add(control.stop(inst, StopIntent.SHUTDOWN, "Vigil is shutting down"));
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

}

package io.vigil.cli;

import io.vigil.agent.process.LinuxAgent;
import io.vigil.api.ApiServer;
import io.vigil.config.ConfigInvalidException;
import io.vigil.config.ConfigLoader;
import io.vigil.config.ListenAddress;
import io.vigil.config.VigilConfig;
import io.vigil.control.ConfigSource;
import io.vigil.control.Reload;
import io.vigil.control.Supervisor;
import io.vigil.metrics.VigilMetrics;
import io.vigil.probe.check.Checkers;
import io.vigil.systemd.SystemdNotifier;
import io.vigil.time.Ticker;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vigil run}: the daemon in the foreground. SIGTERM or SIGINT stops every instance in
 * parallel, each with its grace period, and exits 0. An invalid configuration exits 2 and starts
 * nothing; so does (with exit 1) a metrics address that cannot be bound.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the supervisor in the foreground.")
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = System.getLogger("io.vigil");

  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Optional<VigilConfig> loaded = config.load(err);
    if (loaded.isEmpty()) {
      return 2;
    }
    VigilConfig cfg = loaded.get();
    try (StateDirLock lock = StateDirLock.acquire(cfg.daemon().stateDir())) {
      return run(cfg);
    } catch (IOException e) {
      err.println("vigil: " + e.getMessage());
      return 1;
    }
  }

  private int run(VigilConfig cfg) throws InterruptedException, IOException {
    CountDownLatch stopRequested = new CountDownLatch(1);
    ShutdownSignals.onTermOrInt(stopRequested::countDown);
    try (LinuxAgent agent = new LinuxAgent(cfg.daemon().logMaxBytes(), cfg.daemon().logKeep());
        Checkers checkers = new Checkers(agent);
        Supervisor supervisor = new Supervisor(cfg, agent, checkers, Ticker.SYSTEM,
            Clock.systemUTC(), RandomGenerator.getDefault());
        VigilMetrics metrics = new VigilMetrics(supervisor, supervisor::ping);
        LoadBalancerWiring balancers =
            new LoadBalancerWiring(Ticker.SYSTEM, Clock.systemUTC(), metrics);
        SystemdNotifier systemd = SystemdNotifier.fromEnvironment(System.getenv())) {
      supervisor.observe(metrics);
      supervisor.gate(balancers);
      ConfigSource source = () -> ConfigLoader.load(config.locate(), ConfigOption.runtimeValues());
      // Both servers are bound before start: a Vigil that must exit because an address is taken
      // should not have started (or adopted) anything.
      serveMetrics(metrics, cfg.daemon().api().metricsListen());
      balancers.start(cfg, supervisor);
      try (ApiServer api = ApiServer.start(cfg.daemon().api(), supervisor, source,
          supervisor::ping)) {
        ShutdownSignals.onHup(() -> reload(source, supervisor));
        supervisor.start().join();
        systemd.startWatchdog(supervisor::ping);
        LOG.log(Level.INFO, "vigil " + VersionProvider.version() + " supervising "
            + cfg.services().size() + " service(s) from " + cfg.source() + "; state in "
            + cfg.daemon().stateDir() + "; status on http://" + cfg.daemon().api().listen().host()
            + ":" + api.port() + "/, metrics on http://"
            + cfg.daemon().api().metricsListen().host() + ":" + metrics.port() + "/metrics");
        // READY=1 once everything is up, the API's address bound (its application is built by the
        // first request): `systemctl start` returns only now.
        systemd.ready("supervising " + cfg.services().size() + " services");
        stopRequested.await();
        systemd.stopping();
        LOG.log(Level.INFO, "stopping all instances");
        awaitShutdown(supervisor, cfg);
        LOG.log(Level.INFO, "all instances stopped; bye");
        return 0;
      }
    }
  }

  private static void serveMetrics(VigilMetrics metrics, ListenAddress listen) throws IOException {
    try {
      metrics.serve(listen);
    } catch (IOException e) {
      throw new IOException("cannot serve metrics on " + listen + " (vigil.metrics.listen): "
          + e.getMessage(), e);
    }
  }

  /** Applies a re-read configuration; an invalid one is refused and the running one stays. */
  static void reload(ConfigSource source, Supervisor supervisor) {
    try {
      Reload.apply(source, supervisor).whenComplete((result, error) -> {
        if (error != null) {
          LOG.log(Level.ERROR, "reload failed", error);
        }
      });
    } catch (ConfigInvalidException e) {
      // Reload.apply has logged every problem; the running configuration stays.
    }
  }

  private static void awaitShutdown(Supervisor supervisor, VigilConfig cfg)
      throws InterruptedException {
    Duration longestGrace = cfg.services().values().stream()
        .map(s -> s.stop().gracePeriod()).max(Duration::compareTo).orElse(Duration.ZERO);
    try {
      supervisor.shutdown().get(longestGrace.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.ERROR, "not every instance confirmed its stop: " + e);
    }
  }
}

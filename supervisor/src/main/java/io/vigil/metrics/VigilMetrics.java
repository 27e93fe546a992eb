package io.vigil.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.ListenAddress;
import io.vigil.control.Commands;
import io.vigil.control.SupervisorObserver;
import io.vigil.instance.EventLog;
import io.vigil.instance.InstanceId;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.ProbeKind;
import io.vigil.time.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Vigil's Prometheus metrics and their HTTP endpoint.
 *
 * <pre>{@code
 * try (VigilMetrics metrics = new VigilMetrics(supervisor, supervisor::ping)) {
 *   supervisor.observe(metrics);                       // before supervisor.start()
 *   metrics.serve(new ListenAddress("127.0.0.1", 9651)); // http://127.0.0.1:9651/metrics
 *   supervisor.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Instance and service gauges read one snapshot of the control loop per scrape
 * ({@link Commands#servicesWithSamples()}, waiting at most 2 s); restarts and probe results come through
 * {@link SupervisorObserver}, state changes through the {@link EventLog}. Vigil's own JVM and
 * process metrics are included. Each instance has its own registry, never the global default.
 *
 * <p>Thread-safe. The observer methods run on the control thread and only increment.
 */
public final class VigilMetrics implements SupervisorObserver, AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(2);
  static final Duration SNAPSHOT_MAX_AGE = Duration.ofSeconds(1);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final EventMetrics events;
  private final EventLog.Subscription subscription;
  private MetricsServer server;

  /** Metrics of {@code commands}; the control loop counts as responsive when it lists services. */
  public VigilMetrics(Commands commands) {
    this(commands, null);
  }

  /** Metrics of {@code commands}, with {@code ping} (e.g. {@code Supervisor::ping}) as the sign of life. */
  public VigilMetrics(Commands commands, Supplier<CompletableFuture<Void>> ping) {
    this(commands, ping, Ticker.SYSTEM, Clock.systemUTC(), WAIT);
  }

  VigilMetrics(Commands commands, Supplier<CompletableFuture<Void>> ping, Ticker ticker,
      Clock clock, Duration wait) {
    ScrapeReader reader = new ScrapeReader(commands::servicesWithSamples, ping, ticker, clock, wait,
        SNAPSHOT_MAX_AGE);
    InstanceMetrics.register(registry, reader);
    ServiceMetrics.register(registry, reader);
    HealthMetrics.register(registry, reader, version());
    JvmMetrics.builder().register(registry);
    events = new EventMetrics(registry);
    subscription = commands.events().subscribe(events::onEvent);
  }

  /** Serves {@code /metrics} on {@code listen} (port 0: any free port, see {@link #port()}). */
  public synchronized void serve(ListenAddress listen) throws IOException {
    if (server != null) {
      throw new IllegalStateException("already serving metrics on port " + server.port());
    }
    server = MetricsServer.start(listen, registry);
  }

  /** The port {@link #serve} bound. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not serving metrics");
    }
    return server.port();
  }

  @Override
  public void onProbesStarted(InstanceId id, Set<ProbeKind> kinds) {
    events.onProbesStarted(id, kinds);
  }

  @Override
  public void onProbe(InstanceId id, ProbeKind kind, CheckOutcome outcome, Duration took) {
    events.onProbe(id, kind, outcome, took);
  }

  @Override
  public void onRestart(InstanceId id, RestartCause cause) {
    events.onRestart(id, cause);
  }

  /** Stops the endpoint (and its thread) and the event log subscription. */
  @Override
  public synchronized void close() {
    subscription.close();
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /**
   * The load balancers' metrics, registered here. {@code states} gives each load-balanced
   * service's per-instance state at scrape time.
   */
  public io.vigil.lb.netty.LbMetrics loadBalancers(
      Supplier<java.util.Map<String, java.util.List<io.vigil.lb.EndpointState>>> states) {
    return new LoadBalancerMetrics(registry, states);
  }

  /** A scrape in the Prometheus text format, as {@code GET /metrics} would answer it. */
  String scrapeText() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The version in the jar's manifest; "dev" when run from classes. */
  private static String version() {
    String v = VigilMetrics.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}

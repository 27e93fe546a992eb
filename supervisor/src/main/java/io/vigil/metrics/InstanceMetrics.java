package io.vigil.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.agent.ProcessSample;
import io.vigil.control.InstanceView;
import io.vigil.control.ServiceView;
import io.vigil.instance.InstanceState;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Per-instance gauges and the CPU counter, all read from the scrape's {@link Reading}: nothing
 * is stored here, so an instance removed by a reload disappears from the next scrape.
 * Thread-safe (stateless; called by the registry on scrape threads).
 */
final class InstanceMetrics {
  /**
   * The instance is its index, not an {@code instance} label: Prometheus sets {@code instance} to
   * the scrape target (host:port) and would rename ours to {@code exported_instance}.
   */
  static final String[] LABELS = {"service", "index"};

  private final ScrapeReader reader;

  private InstanceMetrics(ScrapeReader reader) {
    this.reader = reader;
  }

  static void register(PrometheusRegistry registry, ScrapeReader reader) {
    new InstanceMetrics(reader).registerAll(registry);
  }

  private void registerAll(PrometheusRegistry registry) {
    gauge(registry, "vigil_instance_up",
        "1 if the instance has a process (state starting, running, ready or stopping), else 0.",
        i -> i.state().isLive() ? 1 : 0);
    gauge(registry, "vigil_instance_ready", "1 if the instance is ready to serve, else 0.",
        i -> i.ready() ? 1 : 0);
    GaugeWithCallback.builder().name("vigil_instance_state")
        .help("1 for the instance's current state, 0 for the others.")
        .labelNames("service", "index", "state")
        .callback(cb -> eachInstance(i -> {
          for (InstanceState s : InstanceState.values()) {
            cb.call(i.state() == s ? 1 : 0, i.id().service(), index(i), stateLabel(s));
          }
        }))
        .register(registry);
    GaugeWithCallback.builder().name("vigil_instance_start_time_seconds")
        .help("When the instance's current process was started or re-adopted, in seconds since"
            + " the epoch. Absent while it has no process.")
        .labelNames(LABELS)
        .callback(cb -> eachInstance(i -> {
          if (i.state().isLive() && i.startedAt() != null) {
            cb.call(i.startedAt().toEpochMilli() / 1e3, i.id().service(), index(i));
          }
        }))
        .register(registry);
    registerSampled(registry);
  }

  /** The metrics of the latest resource sample of the current process. */
  private void registerSampled(PrometheusRegistry registry) {
    CounterWithCallback.builder().name("vigil_instance_cpu_seconds_total")
        .help("User and system CPU time of the instance's main process since it started, in"
            + " seconds. Resets when the instance restarts.")
        .labelNames(LABELS)
        .callback(cb -> eachInstance(i -> sample(i).ifPresent(
            s -> cb.call(s.cpuSeconds(), i.id().service(), index(i)))))
        .register(registry);
    sampledGauge(registry, "vigil_instance_resident_memory_bytes",
        "Resident memory of the instance's main process, in bytes.", s -> s.residentBytes());
    sampledGauge(registry, "vigil_instance_threads",
        "Threads of the instance's main process.", s -> s.threads());
    sampledGauge(registry, "vigil_instance_open_fds",
        "Open file descriptors of the instance's main process.", s -> s.openFiles());
  }

  private void gauge(PrometheusRegistry registry, String name, String help,
      ToDoubleFunction<InstanceView> value) {
    GaugeWithCallback.builder().name(name).help(help).labelNames(LABELS)
        .callback(cb -> eachInstance(
            i -> cb.call(value.applyAsDouble(i), i.id().service(), index(i))))
        .register(registry);
  }

  private void sampledGauge(PrometheusRegistry registry, String name, String help,
      ToDoubleFunction<ProcessSample> value) {
    GaugeWithCallback.builder().name(name).help(help + " Absent until sampled.")
        .labelNames(LABELS)
        .callback(cb -> eachInstance(i -> sample(i).ifPresent(
            s -> cb.call(value.applyAsDouble(s), i.id().service(), index(i)))))
        .register(registry);
  }

  private void eachInstance(Consumer<InstanceView> action) {
    for (ServiceView service : reader.get().services()) {
      service.instances().forEach(action);
    }
  }

  /**
   * The sample of the instance's current process. Right after a restart the view still holds the
   * previous process's sample until the next one is taken; that one is left out.
   */
  static Optional<ProcessSample> sample(InstanceView i) {
    ProcessSample s = i.lastSample();
    boolean current = s != null && i.state().isLive() && i.pid() != null && s.pid() == i.pid();
    return current ? Optional.of(s) : Optional.empty();
  }

  static String index(InstanceView i) {
    return Integer.toString(i.id().index());
  }

  static String stateLabel(InstanceState s) {
    return s.name().toLowerCase(Locale.ROOT);
  }
}

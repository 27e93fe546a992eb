package io.vigil.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vigil.agent.ProcessSample;
import io.vigil.control.InstanceView;
import io.vigil.control.ServiceView;
import io.vigil.instance.InstanceId;
import io.vigil.instance.InstanceState;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-instance gauges and the CPU counter, all read from the scrape's {@link Reading} in one
 * pass: an instance removed by a reload disappears from the next scrape. What is kept between
 * scrapes is each instance's label sets: the client validates every label name of a
 * {@code Labels} it builds (encoding each name to UTF-8), and building them afresh for 500
 * instances' 14 series at every scrape was over a tenth of all the garbage Vigil made
 * (docs/performance.md).
 * Thread-safe (called by the registry on the scrape thread).
 */
final class InstanceMetrics implements MultiCollector {
  private static final InstanceState[] STATES = InstanceState.values();

  private final ScrapeReader reader;
  private final Map<InstanceId, InstanceLabels> labels = new ConcurrentHashMap<>();

  /**
   * An instance's labels, and the same with each {@code state}, validated once. The instance is
   * its index, not an {@code instance} label: Prometheus sets {@code instance} to the scrape
   * target (host:port) and would rename ours to {@code exported_instance}.
   */
  private record InstanceLabels(Labels plain, Labels[] byState) {
    static InstanceLabels of(InstanceId id) {
      String index = Integer.toString(id.index());
      Labels[] byState = new Labels[STATES.length];
      for (InstanceState s : STATES) {
        byState[s.ordinal()] =
            Labels.of("service", id.service(), "index", index, "state", stateLabel(s));
      }
      return new InstanceLabels(Labels.of("service", id.service(), "index", index), byState);
    }
  }

  InstanceMetrics(ScrapeReader reader) {
    this.reader = reader;
  }

  static void register(PrometheusRegistry registry, ScrapeReader reader) {
    registry.register(new InstanceMetrics(reader));
  }

  @Override
  public MetricSnapshots collect() {
    GaugeSnapshot.Builder up = gauge("vigil_instance_up",
        "1 if the instance has a process (state starting, running, ready or stopping), else 0.");
    GaugeSnapshot.Builder ready =
        gauge("vigil_instance_ready", "1 if the instance is ready to serve, else 0.");
    GaugeSnapshot.Builder state =
        gauge("vigil_instance_state", "1 for the instance's current state, 0 for the others.");
    GaugeSnapshot.Builder started = gauge("vigil_instance_start_time_seconds",
        "When the instance's current process was started or re-adopted, in seconds since"
            + " the epoch. Absent while it has no process.");
    CounterSnapshot.Builder cpu = CounterSnapshot.builder().name("vigil_instance_cpu_seconds")
        .help("User and system CPU time of the instance's main process since it started, in"
            + " seconds. Resets when the instance restarts.");
    GaugeSnapshot.Builder rss = sampled("vigil_instance_resident_memory_bytes",
        "Resident memory of the instance's main process, in bytes.");
    GaugeSnapshot.Builder threads =
        sampled("vigil_instance_threads", "Threads of the instance's main process.");
    GaugeSnapshot.Builder fds =
        sampled("vigil_instance_open_fds", "Open file descriptors of the instance's main process.");
    Set<InstanceId> seen = new HashSet<>();
    for (ServiceView service : reader.get().services()) {
      for (InstanceView i : service.instances()) {
        seen.add(i.id());
        InstanceLabels l = labels.computeIfAbsent(i.id(), InstanceLabels::of);
        up.dataPoint(point(i.state().isLive() ? 1 : 0, l.plain()));
        ready.dataPoint(point(i.ready() ? 1 : 0, l.plain()));
        for (InstanceState s : STATES) {
          state.dataPoint(point(i.state() == s ? 1 : 0, l.byState()[s.ordinal()]));
        }
        if (i.state().isLive() && i.startedAt() != null) {
          started.dataPoint(point(i.startedAt().toEpochMilli() / 1e3, l.plain()));
        }
        Optional<ProcessSample> sample = sample(i);
        if (sample.isPresent()) {
          ProcessSample s = sample.get();
          cpu.dataPoint(new CounterDataPointSnapshot(s.cpuSeconds(), l.plain(), null, 0));
          rss.dataPoint(point(s.residentBytes(), l.plain()));
          threads.dataPoint(point(s.threads(), l.plain()));
          fds.dataPoint(point(s.openFiles(), l.plain()));
        }
      }
    }
    if (labels.size() > seen.size()) {
      labels.keySet().retainAll(seen); // instances a reload removed
    }
    return MetricSnapshots.of(up.build(), ready.build(), state.build(), started.build(),
        cpu.build(), rss.build(), threads.build(), fds.build());
  }

  /** How many instances' labels are kept; for tests. */
  int cachedInstances() {
    return labels.size();
  }

  private static GaugeSnapshot.Builder gauge(String name, String help) {
    return GaugeSnapshot.builder().name(name).help(help);
  }

  private static GaugeSnapshot.Builder sampled(String name, String help) {
    return gauge(name, help + " Absent until sampled.");
  }

  private static GaugeDataPointSnapshot point(double value, Labels labels) {
    return new GaugeDataPointSnapshot(value, labels, null);
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

  static String stateLabel(InstanceState s) {
    return s.name().toLowerCase(Locale.ROOT);
  }
}

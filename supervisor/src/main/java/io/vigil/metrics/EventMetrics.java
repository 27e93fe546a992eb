package io.vigil.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.control.SupervisorObserver.RestartCause;
import io.vigil.instance.InstanceEvent;
import io.vigil.instance.InstanceId;
import io.vigil.instance.Transition;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.ProbeKind;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters and the probe histogram, fed as things happen: restarts and probe results by the
 * supervisor's observer, state changes by the event log. Each call is a label lookup and an
 * increment, cheap enough for the control thread. Thread-safe.
 */
final class EventMetrics {
  /** Local probes answer in microseconds to milliseconds; a timeout is at most a few seconds. */
  static final double[] PROBE_BUCKETS =
      {.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5};

  private final Counter restarts;
  private final Histogram probeDuration;
  private final Counter probeFailures;
  private final Counter transitions;
  private final Set<InstanceId> known = ConcurrentHashMap.newKeySet();
  /*
   * The probe series, their labels resolved once: the label lookup (an index string, a label
   * list and its hash) for each of 500+ results a second was most of onProbe's cost and garbage. A
   * service's duration histogram appears at the first result of that probe, so there is none for
   * probes a service does not have.
   */
  private final Map<ServiceProbe, DistributionDataPoint> durations = new ConcurrentHashMap<>();
  private final Map<InstanceProbe, CounterDataPoint> failures = new ConcurrentHashMap<>();

  private record ServiceProbe(String service, ProbeKind kind) {}

  private record InstanceProbe(InstanceId id, ProbeKind kind) {}

  // Without exemplars: no tracer gives Vigil any, yet the client samples them by default, and
  // each sampled observation schedules a task on the client's scheduler thread: at 500 probes/s
  // that thread used ~0.25 % of a core, and each data point kept a sampler (docs/performance.md).
  EventMetrics(PrometheusRegistry registry) {
    restarts = Counter.builder().name("vigil_instance_restarts_total")
        .help("Restarts of the instance, by reason: exit, liveness, startup, memory, operator"
            + " or reload.")
        .labelNames("service", "index", "reason").withoutExemplars().register(registry);
    // By service, not by instance: 15 series per instance and probe (13 buckets, sum, count)
    // were over a third of a scrape at 500 instances, and the dashboards sum them by service anyway.
    // An instance's own trouble shows in its failure counter and in the status API.
    probeDuration = Histogram.builder().name("vigil_probe_duration_seconds")
        .help("How long each probe check took, successful or not, in seconds, by service.")
        .labelNames("service", "probe")
        .classicOnly().classicUpperBounds(PROBE_BUCKETS).withoutExemplars().register(registry);
    probeFailures = Counter.builder().name("vigil_probe_failures_total")
        .help("Probe checks that failed (refused, timed out, bad status or exit code).")
        .labelNames("service", "index", "probe").withoutExemplars().register(registry);
    transitions = Counter.builder().name("vigil_transitions_total")
        .help("Instance state changes, by service and new state.")
        .labelNames("service", "to").withoutExemplars().register(registry);
  }

  void onRestart(InstanceId id, RestartCause cause) {
    restarts.labelValues(id.service(), index(id), cause.label()).inc();
  }

  /**
   * Failure counters start at 0 for each probe the instance has, so that {@code increase()} sees
   * the first failure too; a probe the service does not configure has none (1,000 series at 500
   * instances with a liveness probe only).
   */
  void onProbesStarted(InstanceId id, Set<ProbeKind> kinds) {
    for (ProbeKind kind : kinds) {
      failures.computeIfAbsent(new InstanceProbe(id, kind), this::failuresOf);
    }
  }

  void onProbe(InstanceId id, ProbeKind kind, CheckOutcome outcome, Duration took) {
    // computeIfAbsent takes no lock when the key is there (ConcurrentHashMap, JDK 9 and later).
    durations.computeIfAbsent(new ServiceProbe(id.service(), kind), this::durationOf)
        .observe(took.toNanos() / 1e9);
    if (!outcome.success()) {
      failures.computeIfAbsent(new InstanceProbe(id, kind), this::failuresOf).inc();
    }
  }

  private DistributionDataPoint durationOf(ServiceProbe key) {
    return probeDuration.labelValues(key.service(), key.kind().key());
  }

  private CounterDataPoint failuresOf(InstanceProbe key) {
    return probeFailures.labelValues(key.id().service(), index(key.id()), key.kind().key());
  }

  /** Counts state transitions; rotation changes are counted by the load balancer's metrics. */
  void onEvent(InstanceEvent event) {
    if (!(event instanceof Transition t)) {
      return;
    }
    InstanceId id = t.instance();
    if (known.add(id)) {
      exposeZeros(id);
    }
    transitions.labelValues(id.service(), InstanceMetrics.stateLabel(t.to())).inc();
  }

  /**
   * Restart counters start at 0 for every reason once an instance exists, so that
   * {@code increase()} sees the first restart too: Prometheus cannot tell how a series that
   * appears at 1 began. (Probe failure counters: {@link #onProbesStarted}.)
   */
  private void exposeZeros(InstanceId id) {
    String index = index(id);
    for (RestartCause cause : RestartCause.values()) {
      restarts.initLabelValues(id.service(), index, cause.label());
    }
  }

  private static String index(InstanceId id) {
    return Integer.toString(id.index());
  }
}

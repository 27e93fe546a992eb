package io.vigil.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Vigil's own health: whether the control loop answers, how fast, when it last did, and the
 * build. A stuck control loop heals nothing, so alerts watch these (see
 * {@code dashboards/vigil-alerts.yml}). Thread-safe (stateless).
 */
final class HealthMetrics {
  private HealthMetrics() {}

  static void register(PrometheusRegistry registry, ScrapeReader reader, String version) {
    GaugeWithCallback.builder().name("vigil_control_loop_responsive")
        .help("1 if the control loop answered this scrape in time, else 0.")
        .callback(cb -> cb.call(reader.get().responsive() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder().name("vigil_control_loop_latency_seconds")
        .help("How long the control loop took to answer this scrape (or how long the scrape"
            + " waited in vain), in seconds.")
        .callback(cb -> cb.call(reader.get().latencySeconds()))
        .register(registry);
    GaugeWithCallback.builder().name("vigil_control_loop_last_response_timestamp_seconds")
        .help("When the control loop last answered a scrape, in seconds since the epoch."
            + " Absent until it first answers.")
        .callback(cb -> {
          Reading r = reader.get();
          if (r.lastAnswer() != null) {
            cb.call(r.lastAnswer().toEpochMilli() / 1e3);
          }
        })
        .register(registry);
    Info build = Info.builder().name("vigil_build_info")
        .help("Always 1; the label says which Vigil is running.").labelNames("version")
        .register(registry);
    build.setLabelValues(version);
  }
}

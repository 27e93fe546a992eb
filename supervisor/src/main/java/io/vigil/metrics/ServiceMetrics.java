package io.vigil.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.control.ServiceView;
import java.util.function.ToDoubleFunction;

/** Per-service gauges, read from the scrape's {@link Reading}. Thread-safe (stateless). */
final class ServiceMetrics {
  private ServiceMetrics() {}

  static void register(PrometheusRegistry registry, ScrapeReader reader) {
    gauge(registry, reader, "vigil_service_instances_desired",
        "Instances the configuration asks for.", ServiceView::desired);
    gauge(registry, reader, "vigil_service_instances_ready",
        "Instances that are ready to serve.", ServiceView::ready);
    gauge(registry, reader, "vigil_service_failed",
        "Instances that Vigil gave up on after a crash loop (state failed); they stay down"
            + " until an operator starts them.", ServiceView::failed);
  }

  private static void gauge(PrometheusRegistry registry, ScrapeReader reader, String name,
      String help, ToDoubleFunction<ServiceView> value) {
    GaugeWithCallback.builder().name(name).help(help).labelNames("service")
        .callback(cb -> reader.get().services()
            .forEach(s -> cb.call(value.applyAsDouble(s), s.name())))
        .register(registry);
  }
}

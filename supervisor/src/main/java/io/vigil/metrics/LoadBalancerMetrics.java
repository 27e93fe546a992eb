package io.vigil.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.instance.InstanceId;
import io.vigil.lb.EndpointState;
import io.vigil.lb.OutlierEvent;
import io.vigil.lb.netty.LbMetrics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The load balancers' metrics: counters fed by the data path ({@link LbMetrics}, called on Netty
 * event loops: label lookups and increments only), gauges read at scrape time from the load
 * balancers' per-instance state. Thread-safe.
 */
final class LoadBalancerMetrics implements LbMetrics {
  static final double[] REQUEST_BUCKETS =
      {.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30};

  private final Counter requests;
  private final Histogram duration;
  private final Counter ejections;
  private final Counter retries;
  private final Counter rejected;

  LoadBalancerMetrics(PrometheusRegistry registry,
      Supplier<Map<String, List<EndpointState>>> states) {
    requests = Counter.builder().name("vigil_lb_requests_total")
        .help("Requests answered by the load balancer, by status class (code = 2xx..5xx).")
        .labelNames("service", "code").register(registry);
    duration = Histogram.builder().name("vigil_lb_request_duration_seconds")
        .help("From the request head to the last byte of the response.")
        .labelNames("service").classicOnly().classicUpperBounds(REQUEST_BUCKETS)
        .register(registry);
    ejections = Counter.builder().name("vigil_lb_ejections_total")
        .help("Instances ejected by outlier detection.")
        .labelNames("service", "index").register(registry);
    retries = Counter.builder().name("vigil_lb_retries_total")
        .help("Failed tries retried on another instance.")
        .labelNames("service").register(registry);
    rejected = Counter.builder().name("vigil_lb_rejected_total")
        .help("Requests refused at once (reason = max-connections, max-pending, max-requests,"
            + " no-instance).")
        .labelNames("service", "reason").register(registry);
    GaugeWithCallback.builder().name("vigil_lb_in_flight_requests")
        .help("Requests in flight to each instance.").labelNames("service", "index")
        .callback(cb -> states.get().forEach((service, list) -> list.forEach(
            s -> cb.call(s.inFlight(), service, index(s.instance())))))
        .register(registry);
    GaugeWithCallback.builder().name("vigil_lb_instance_ejected")
        .help("1 while an instance is ejected by outlier detection.")
        .labelNames("service", "index")
        .callback(cb -> states.get().forEach((service, list) -> list.forEach(
            s -> cb.call(s.ejected() ? 1 : 0, service,
                index(s.instance())))))
        .register(registry);
  }

  private static String index(InstanceId id) {
    return Integer.toString(id.index());
  }

  @Override
  public void requestFinished(String service, Optional<InstanceId> instance, int status,
      long nanos) {
    requests.labelValues(service, (status / 100) + "xx").inc();
    duration.labelValues(service).observe(nanos / 1e9);
  }

  @Override
  public void retried(String service, InstanceId from, String reason) {
    retries.labelValues(service).inc();
  }

  @Override
  public void outlier(String service, OutlierEvent event) {
    if (event.type() == OutlierEvent.Type.EJECTED) {
      ejections.labelValues(service, index(event.instance())).inc();
    }
  }

  @Override
  public void rejected(String service, String reason) {
    rejected.labelValues(service, reason).inc();
  }
}

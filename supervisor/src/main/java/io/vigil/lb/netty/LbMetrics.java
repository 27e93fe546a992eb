package io.vigil.lb.netty;

import io.vigil.instance.InstanceId;
import io.vigil.lb.OutlierEvent;
import java.util.Optional;

/**
 * Counters of the data path, for a metrics adapter to map (no metrics library here). Called on
 * Netty event loops, often: implementations must be cheap, thread-safe and never block. Gauges
 * (requests in flight per instance, ejections in force) are read at scrape time from {@link
 * LoadBalancers#state(String)} instead.
 *
 * <pre>{@code
 * LbMetrics metrics = new LbMetrics() {
 *   public void requestFinished(String service, Optional<InstanceId> instance, int status,
 *       long nanos) { requests.labelValues(service, status / 100 + "xx").inc(); }
 * };
 * }</pre>
 */
public interface LbMetrics {
  /** A request was admitted (HTTP), or a connection accepted (TCP). */
  default void requestStarted(String service) {}

  /**
   * A request was answered, by an instance or by the load balancer itself ({@code instance}
   * empty: fallback, 503 when over a limit, 504, 400...). For TCP, status is 200 for a connection
   * that was piped and 503 for one that found no instance. {@code nanos}: from the request head
   * to the last byte of the response.
   */
  default void requestFinished(
      String service, Optional<InstanceId> instance, int status, long nanos) {}

  /** A failed try is being retried; {@code reason} says why (retry n of m after 503 ...). */
  default void retried(String service, InstanceId from, String reason) {}

  /** An ejection, return or overflow (ejection refused by max-ejection-percent). */
  default void outlier(String service, OutlierEvent event) {}

  /**
   * A request or connection refused at once: {@code max-connections}, {@code max-pending},
   * {@code max-requests}, or {@code no-instance} when the fallback answered.
   */
  default void rejected(String service, String reason) {}

  LbMetrics NONE = new LbMetrics() {};
}

package io.vigil.lb;

import java.time.Duration;

/**
 * A service's load balancer, validated: it listens on {@code host:port} (port 0: any free port,
 * for tests) and spreads requests (HTTP) or connections (TCP) over the service's ready instances.
 * docs/load-balancing.md explains every setting.
 */
public record LbSpec(String host, int port, Protocol protocol, Balance balance, Duration slowStart,
    TimeoutsSpec timeouts, LimitsSpec limits, RetrySpec retries, OutlierSpec outlier,
    FallbackSpec fallback) {
  public LbSpec {
    if (host.isBlank() || port < 0 || port > 65535 || slowStart.isNegative()) {
      throw new IllegalArgumentException("bad listen address or slow start: " + host + ":" + port);
    }
    retries.perTryTimeout().ifPresent(t -> {
      if (t.compareTo(timeouts.request()) > 0) {
        throw new IllegalArgumentException("per-try timeout must be <= request timeout");
      }
    });
  }

  /** {@code host:port}, as written in the configuration. */
  public String listen() {
    return host + ":" + port;
  }
}

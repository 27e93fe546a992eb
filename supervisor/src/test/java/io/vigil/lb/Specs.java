package io.vigil.lb;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Specs for tests: reference.conf's defaults, and copies with one thing changed. */
final class Specs {
  static final Duration S = Duration.ofSeconds(1);

  private Specs() {}

  static OutlierSpec outlier() {
    return new OutlierSpec(5, 5, 5, Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(300), 50, true);
  }

  static OutlierSpec outlier(int c5xx, int gateway, int local, int maxPercent, boolean one) {
    return new OutlierSpec(c5xx, gateway, local, Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(300), maxPercent, one);
  }

  static RetrySpec retries(int limit, RetryOn... on) {
    return new RetrySpec(limit, Optional.empty(), Duration.ofMillis(25), Duration.ofMillis(250),
        20, 3, Set.of(on));
  }

  static LbSpec lb(Balance balance, Duration slowStart, LimitsSpec limits, RetrySpec retries,
      OutlierSpec outlier) {
    return new LbSpec("127.0.0.1", 0, Protocol.HTTP, balance, slowStart,
        new TimeoutsSpec(S, Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(4),
            Duration.ofSeconds(10), Duration.ofSeconds(10)),
        limits, retries, outlier,
        new FallbackSpec(503, "{\"error\":\"no instance available\"}", "application/json"));
  }

  static LbSpec lb() {
    return lb(Balance.LEAST_REQUEST, Duration.ZERO, new LimitsSpec(1024, 1024, 1024),
        retries(2, RetryOn.CONNECT_FAILURE, RetryOn.RESET, RetryOn.GATEWAY_ERROR), outlier());
  }
}

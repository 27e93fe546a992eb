package io.vigil.config;

import com.typesafe.config.ConfigObject;
import io.vigil.lb.Balance;
import io.vigil.lb.FallbackSpec;
import io.vigil.lb.LbSpec;
import io.vigil.lb.LimitsSpec;
import io.vigil.lb.OutlierSpec;
import io.vigil.lb.Protocol;
import io.vigil.lb.RetryOn;
import io.vigil.lb.RetrySpec;
import io.vigil.lb.TimeoutsSpec;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a service's {@code load-balancer { ... }}, merged over {@code vigil.defaults.load-balancer}
 * first, into an {@link LbSpec}. A service without the block has no load balancer. The listen port
 * is claimed exclusively: it may not be any service's instance or probe port, its own included.
 */
final class LbReader {
  static final String KEY = "load-balancer";

  private static final Reading<Protocol> PROTOCOL =
      Readings.oneOf(List.of("http", "tcp"), List.of(Protocol.HTTP, Protocol.TCP));
  private static final Reading<Balance> BALANCE = Readings.oneOf(
      List.of("least-request", "round-robin"), List.of(Balance.LEAST_REQUEST, Balance.ROUND_ROBIN));
  private static final Reading<Integer> PERCENT = Readings.between(0, 100);

  private final ConfigObject template;
  private final PortClaims claims;

  LbReader(ConfigObject template, PortClaims claims) {
    this.template = template;
    this.claims = claims;
  }

  /** Empty if the service has no load balancer, or if a problem was reported. */
  Optional<LbSpec> read(String service, Section parent) {
    if (!parent.has(KEY)) {
      return Optional.empty();
    }
    return parent.child(KEY).flatMap(lb -> readMerged(service, lb.withFallback(template)));
  }

  private Optional<LbSpec> readMerged(String service, Section lb) {
    int mark = lb.mark();
    ListenAddress listen = lb.required("listen", Readings.LISTEN);
    Protocol protocol = lb.required("protocol", PROTOCOL);
    Balance balance = lb.required("balance", BALANCE);
    Duration slowStart = lb.required("slow-start", Readings.NON_NEGATIVE_DURATION);
    TimeoutsSpec timeouts = timeouts(lb);
    LimitsSpec limits = limits(lb);
    Optional<RetrySpec> retries = lb.child("retries").flatMap(LbReader::retries);
    Optional<OutlierSpec> outlier = lb.child("outlier").flatMap(LbReader::outlier);
    Optional<FallbackSpec> fallback = lb.child("fallback").flatMap(LbReader::fallback);
    if (listen != null && listen.port() != 0) {
      claims.claimExclusive(service, listen.port(), lb.pathOf("listen"), lb.originOf("listen"));
    }
    if (timeouts != null && retries.isPresent()) {
      checkPerTryTimeout(lb, timeouts, retries.get());
    }
    if (!lb.cleanSince(mark)) {
      return Optional.empty();
    }
    return Optional.of(new LbSpec(listen.host(), listen.port(), protocol, balance, slowStart,
        timeouts, limits, retries.get(), outlier.get(), fallback.get()));
  }

  private static TimeoutsSpec timeouts(Section lb) {
    int mark = lb.mark();
    Duration connect = lb.required("connect-timeout", Readings.POSITIVE_DURATION);
    Duration request = lb.required("request-timeout", Readings.POSITIVE_DURATION);
    Duration idle = lb.required("idle-timeout", Readings.POSITIVE_DURATION);
    Duration upstreamIdle = lb.required("upstream-idle-timeout", Readings.POSITIVE_DURATION);
    Duration header = lb.required("header-timeout", Readings.POSITIVE_DURATION);
    Duration drain = lb.required("drain-timeout", Readings.POSITIVE_DURATION);
    return lb.cleanSince(mark)
        ? new TimeoutsSpec(connect, request, idle, upstreamIdle, header, drain) : null;
  }

  private static LimitsSpec limits(Section lb) {
    int mark = lb.mark();
    Integer connections = lb.required("max-connections", Readings.atLeast(1));
    Integer pending = lb.required("max-pending", Readings.atLeast(1));
    Integer requests = lb.required("max-requests", Readings.atLeast(1));
    return lb.cleanSince(mark) ? new LimitsSpec(connections, pending, requests) : null;
  }

  private static Optional<RetrySpec> retries(Section retries) {
    int mark = retries.mark();
    Integer limit = retries.required("limit", Readings.atLeast(0));
    Optional<Duration> perTry = retries.optional("per-try-timeout", Readings.POSITIVE_DURATION);
    Optional<Section> backoff = retries.child("backoff");
    Duration base = backoff.map(b -> b.required("base", Readings.POSITIVE_DURATION)).orElse(null);
    Duration max = backoff.map(b -> b.required("max", Readings.POSITIVE_DURATION)).orElse(null);
    Double percent = retries.required("budget-percent", Readings.between(0.0, 100.0));
    Integer minConcurrency = retries.required("min-retry-concurrency", Readings.atLeast(0));
    Set<RetryOn> retryOn = retryOn(retries);
    if (base != null && max != null && max.compareTo(base) < 0) {
      Section b = backoff.get();
      // Point at a line the user wrote: a line of reference.conf would mean nothing to them.
      b.report(b.isDefault("max") ? "base" : "max",
          "max (" + b.shown("max") + ") must not be less than base (" + b.shown("base") + ")");
    }
    if (!retries.cleanSince(mark)) {
      return Optional.empty();
    }
    return Optional.of(
        new RetrySpec(limit, perTry, base, max, percent, minConcurrency, retryOn));
  }

  /** A list of {@link RetryOn} names; each unknown one is reported with a suggestion. */
  private static Set<RetryOn> retryOn(Section retries) {
    List<String> names = retries.required("retry-on", Readings.STRING_LIST_ANY);
    Set<RetryOn> set = EnumSet.noneOf(RetryOn.class);
    for (String name : names == null ? List.<String>of() : names) {
      Optional<RetryOn> on = RetryOn.parse(name);
      on.ifPresent(set::add);
      if (on.isEmpty()) {
        retries.report("retry-on", DidYouMean.suggest(name, RetryOn.keys())
            .map(s -> "unknown value '" + name + "'; did you mean '" + s + "'?")
            .orElse("unknown value '" + name + "'; known: " + String.join(", ", RetryOn.keys())));
      }
    }
    return set;
  }

  private static Optional<OutlierSpec> outlier(Section outlier) {
    int mark = outlier.mark();
    Integer c5xx = outlier.required("consecutive-5xx", Readings.atLeast(0));
    Integer gateway = outlier.required("consecutive-gateway-errors", Readings.atLeast(0));
    Integer local = outlier.required("consecutive-local-failures", Readings.atLeast(0));
    Duration interval = outlier.required("interval", Readings.POSITIVE_DURATION);
    Duration base = outlier.required("base-ejection-time", Readings.POSITIVE_DURATION);
    Duration max = outlier.required("max-ejection-time", Readings.POSITIVE_DURATION);
    Integer percent = outlier.required("max-ejection-percent", PERCENT);
    Boolean alwaysOne = outlier.required("always-eject-one", Readings.BOOLEAN);
    if (base != null && max != null && max.compareTo(base) < 0) {
      // Envoy rejects this too: "max_ejection_time cannot be smaller than base_ejection_time".
      outlier.report(outlier.isDefault("max-ejection-time") ? "base-ejection-time"
          : "max-ejection-time", "max-ejection-time (" + outlier.shown("max-ejection-time")
          + ") must not be less than base-ejection-time ("
          + outlier.shown("base-ejection-time") + ")");
    }
    if (!outlier.cleanSince(mark)) {
      return Optional.empty();
    }
    return Optional.of(
        new OutlierSpec(c5xx, gateway, local, interval, base, max, percent, alwaysOne));
  }

  private static Optional<FallbackSpec> fallback(Section fallback) {
    int mark = fallback.mark();
    // A 2xx or 3xx would hide the outage from clients and from the request metrics.
    Integer status = fallback.required("status",
        Readings.INTEGER.check(s -> s >= 400 && s <= 599, "must be between 400 and 599"));
    String body = fallback.required("body", Readings.STRING);
    String contentType = fallback.required("content-type", Readings.TEXT);
    return fallback.cleanSince(mark)
        ? Optional.of(new FallbackSpec(status, body, contentType)) : Optional.empty();
  }

  private static void checkPerTryTimeout(Section lb, TimeoutsSpec timeouts, RetrySpec retries) {
    Duration perTry = retries.perTryTimeout().orElse(null);
    if (perTry != null && perTry.compareTo(timeouts.request()) > 0) {
      Section r = lb.child("retries").orElseThrow();
      r.report("per-try-timeout", "per-try-timeout (" + r.shown("per-try-timeout")
          + ") must not be longer than request-timeout (" + lb.shown("request-timeout") + ")");
    }
  }
}

package io.vigil.config;

/** The keys of a Vigil configuration, as a {@link Schema}; docs/configuration.md describes each. */
final class AllowedKeys {
  static final Schema PROBE = Schema.object()
      .with("http", Schema.object()
          .leaves("path", "port").with("headers", Schema.FREE).leaves("keep-alive"))
      .with("tcp", Schema.object().leaves("port"))
      .with("exec", Schema.object().leaves("command"))
      .leaves("initial-delay", "period", "timeout", "success-threshold", "failure-threshold");

  static final Schema LOAD_BALANCER = Schema.object()
      .leaves("listen", "protocol", "balance", "slow-start")
      .leaves("connect-timeout", "request-timeout", "idle-timeout", "upstream-idle-timeout",
          "header-timeout", "drain-timeout")
      .leaves("max-connections", "max-pending", "max-requests")
      .with("retries", Schema.object()
          .leaves("limit", "per-try-timeout")
          .with("backoff", Schema.object().leaves("base", "max"))
          .leaves("budget-percent", "min-retry-concurrency", "retry-on"))
      .with("outlier", Schema.object()
          .leaves("consecutive-5xx", "consecutive-gateway-errors", "consecutive-local-failures",
              "interval", "base-ejection-time", "max-ejection-time", "max-ejection-percent",
              "always-eject-one"))
      .with("fallback", Schema.object().leaves("status", "body", "content-type"));

  static final Schema SERVICE = Schema.object()
      .leaves("command", "working-dir")
      .with("env", Schema.FREE)
      .leaves("user", "instances", "port")
      .with("probes", Schema.object()
          .with("startup", PROBE).with("liveness", PROBE).with("readiness", PROBE))
      .with("restart", Schema.object()
          .leaves("policy")
          .with("backoff", Schema.object().leaves("initial", "max", "multiplier", "jitter"))
          .leaves("reset-after")
          .with("give-up", Schema.object().leaves("restarts", "within")))
      .with("stop", Schema.object().leaves("signal", "grace-period"))
      .with("limits", Schema.object().leaves("memory", "memory-samples"))
      .with("load-balancer", LOAD_BALANCER);

  static final Schema DAEMON = Schema.object()
      .leaves("state-dir")
      .with("logs", Schema.object().leaves("max-size", "keep"))
      .leaves("sample-interval", "event-log-size")
      .with("api", Schema.object().leaves("listen", "token-file"))
      .with("metrics", Schema.object().leaves("listen"))
      // filled by the command line (java, jar); users may add their own values to substitute
      .with("runtime", Schema.FREE)
      .with("defaults", Schema.object().with("service", SERVICE).with("probe", PROBE)
          .with("load-balancer", LOAD_BALANCER));

  static final Schema ROOT = Schema.object()
      .with("vigil", DAEMON)
      .with("services", Schema.named(SERVICE));

  private AllowedKeys() {}
}

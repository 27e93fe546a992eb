package io.vigil.it;

import io.vigil.instance.InstanceId;
import io.vigil.lb.Balance;
import io.vigil.lb.FallbackSpec;
import io.vigil.lb.LbSpec;
import io.vigil.lb.LimitsSpec;
import io.vigil.lb.OutlierSpec;
import io.vigil.lb.Protocol;
import io.vigil.lb.RetryOn;
import io.vigil.lb.RetrySpec;
import io.vigil.lb.TimeoutsSpec;
import io.vigil.lb.netty.Endpoint;
import io.vigil.lb.OutlierEvent;
import io.vigil.lb.netty.LbMetrics;
import io.vigil.lb.netty.LoadBalancers;
import io.vigil.time.Ticker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Load balancers on 127.0.0.1 port 0, in-process backends, an HTTP client, and the events the
 * load balancer reported. Everything it made is closed by {@link #close()}.
 */
final class LbFixture implements AutoCloseable {
  static final String SERVICE = "web";

  /** A spec to change one thing of; the defaults are reference.conf's with short times. */
  static final class Spec {
    Protocol protocol = Protocol.HTTP;
    Balance balance = Balance.LEAST_REQUEST;
    Duration connect = Duration.ofSeconds(1);
    Duration request = Duration.ofSeconds(5);
    Duration idle = Duration.ofSeconds(60);
    Duration header = Duration.ofSeconds(10);
    int maxConnections = 1024;
    int maxPending = 1024;
    int maxRequests = 1024;
    int retries = 2;
    Optional<Duration> perTry = Optional.empty();
    Set<RetryOn> retryOn = Set.of(RetryOn.CONNECT_FAILURE, RetryOn.RESET, RetryOn.GATEWAY_ERROR);
    int consecutive5xx = 5;
    int consecutiveLocal = 5;
    Duration baseEjection = Duration.ofSeconds(30);
    int maxEjectionPercent = 50;
    boolean alwaysEjectOne = true;

    LbSpec build() {
      return new LbSpec("127.0.0.1", 0, protocol, balance, Duration.ZERO,
          new TimeoutsSpec(connect, request, idle, Duration.ofSeconds(4), header,
              Duration.ofSeconds(10)),
          new LimitsSpec(maxConnections, maxPending, maxRequests),
          new RetrySpec(retries, perTry, Duration.ofMillis(5), Duration.ofMillis(50), 20, 3,
              retryOn),
          new OutlierSpec(consecutive5xx, 0, consecutiveLocal, Duration.ofSeconds(10), baseEjection,
              baseEjection.multipliedBy(10), maxEjectionPercent, alwaysEjectOne),
          new FallbackSpec(503, "{\"error\":\"no instance available\"}", "application/json"));
    }
  }

  final List<String> events = new CopyOnWriteArrayList<>();
  /** What LbMetrics heard, one line per call (durations left out). */
  final List<String> metrics = new CopyOnWriteArrayList<>();
  final LoadBalancers lbs = new LoadBalancers(Ticker.SYSTEM, (event, now) -> {
    switch (event.type()) {
      case EJECTED -> events.add("ejected " + event.instance() + ": " + event.reason());
      case RETURNED -> events.add("returned " + event.instance());
      case OVERFLOW -> { }
    }
  }, new LbMetrics() {
    @Override
    public void requestStarted(String service) {
      metrics.add("started " + service);
    }

    @Override
    public void requestFinished(String service, Optional<InstanceId> instance, int status,
        long nanos) {
      metrics.add("finished " + service + " " + instance.map(InstanceId::toString).orElse("-")
          + " " + status);
    }

    @Override
    public void retried(String service, InstanceId from, String reason) {
      metrics.add("retried " + from + ": " + reason.replaceAll(", in .*", ""));
    }

    @Override
    public void outlier(String service, OutlierEvent event) {
      metrics.add("outlier " + event.instance() + " " + event.type());
    }

    @Override
    public void rejected(String service, String reason) {
      metrics.add("rejected " + service + " " + reason);
    }
  });
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  int start(Spec spec) throws IOException {
    lbs.start(SERVICE, spec.build());
    return lbs.port(SERVICE);
  }

  LbBackend backend(int index) throws IOException {
    LbBackend backend = new LbBackend(new InstanceId(SERVICE, index));
    closeables.add(backend);
    return backend;
  }

  /** An endpoint on a port where nothing listens: connections are refused. */
  static Endpoint refusing(int index) {
    return new Endpoint(new InstanceId(SERVICE, index), "127.0.0.1", Host.freePort());
  }

  void endpoints(Endpoint... endpoints) {
    lbs.updateEndpoints(SERVICE, List.of(endpoints));
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + lbs.port(SERVICE) + path);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Polls until {@code condition} holds, failing after {@code timeout}. */
  static void await(Duration timeout, String what, BooleanSupplier condition)
      throws InterruptedException {
    await(timeout, what, condition, () -> "");
  }

  /** The same, with what {@code seen} says (e.g. the list waited on) in the failure. */
  static void await(Duration timeout, String what, BooleanSupplier condition, Supplier<?> seen)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what + "; seen: " + seen.get());
      }
      Thread.sleep(10);
    }
  }

  /**
   * Sends GETs of {@code path}, one after the other, until {@code n} were answered 200, then
   * {@link #forgetMetrics}. The first requests through a new load balancer and backend are slow
   * (class loading, JIT, the leak detector), and one could outlast a short timeout of the test:
   * a test that holds every request to one measures warm. Events are kept.
   */
  void warmUp(String path, int n) throws IOException, InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int ok = 0;
    while (ok < n) {
      if (System.nanoTime() > end) {
        throw new AssertionError("warm-up: " + ok + " of " + n + " GETs answered 200; "
            + metrics);
      }
      if (get(path).statusCode() == 200) {
        ok++;
      }
    }
    forgetMetrics();
  }

  /**
   * Once the load balancer has reported the end of every request it started (no client may
   * have one in flight), forgets what the metrics heard: a test then counts only its own.
   */
  void forgetMetrics() throws InterruptedException {
    await(Duration.ofSeconds(5), "the end of every request in the metrics",
        () -> count("started ") == count("finished "), () -> metrics);
    metrics.clear();
  }

  private long count(String prefix) {
    return metrics.stream().filter(m -> m.startsWith(prefix)).count();
  }

  @Override
  public void close() throws Exception {
    lbs.close();
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }
}

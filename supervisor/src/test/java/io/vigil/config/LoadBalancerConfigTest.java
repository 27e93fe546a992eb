package io.vigil.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a {@code load-balancer} block turns into: defaults, every key, templates, reloads. */
class LoadBalancerConfigTest {

  @Test
  void aListenAddressAloneTakesEveryDefault() throws Exception {
    // Given a service whose load balancer only names its address
    VigilConfig config = TestConfigs.load(TestConfigs.valid("load-balancer.conf"));

    // When its spec is read
    LbSpec web = config.services().get("web").loadBalancer().orElseThrow();

    // Then reference.conf fills in the rest (and the file's template override applies)
    assertEquals(new LbSpec("127.0.0.1", 8080, Protocol.HTTP, Balance.LEAST_REQUEST, Duration.ZERO,
        new TimeoutsSpec(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(60),
            Duration.ofSeconds(4), Duration.ofSeconds(10), Duration.ofSeconds(10)),
        new LimitsSpec(1024, 1024, 1024),
        new RetrySpec(2, Optional.empty(), Duration.ofMillis(25), Duration.ofMillis(250), 20.0, 3,
            Set.of(RetryOn.CONNECT_FAILURE, RetryOn.RESET, RetryOn.GATEWAY_ERROR)),
        new OutlierSpec(5, 5, 5, Duration.ofSeconds(20), Duration.ofSeconds(30),
            Duration.ofSeconds(300), 50, true),
        new FallbackSpec(503, "{\"error\":\"no instance available\"}", "application/json")), web);
  }

  @Test
  void everyKeyIsRead() throws Exception {
    // Given a load balancer with every key set to something other than its default
    VigilConfig config = TestConfigs.load(TestConfigs.valid("load-balancer.conf"));

    // When its spec is read
    LbSpec api = config.services().get("api").loadBalancer().orElseThrow();

    // Then each value lands in its record
    assertEquals(new LbSpec("0.0.0.0", 9090, Protocol.HTTP, Balance.ROUND_ROBIN,
        Duration.ofSeconds(30),
        new TimeoutsSpec(Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofMinutes(2),
            Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(20)),
        new LimitsSpec(100, 10, 50),
        new RetrySpec(0, Optional.of(Duration.ofSeconds(5)), Duration.ofMillis(10),
            Duration.ofSeconds(1), 12.5, 0, Set.of(RetryOn.SERVER_ERROR, RetryOn.CONNECT_FAILURE)),
        new OutlierSpec(0, 3, 2, Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(1), 100, false),
        new FallbackSpec(502, "", "text/plain")), api);
  }

  @Test
  void tcpAndASingleRetryOnValue() throws Exception {
    // Given a TCP load balancer whose retry-on is one string, not a list
    VigilConfig config = TestConfigs.load(TestConfigs.valid("load-balancer.conf"));

    // When its spec is read
    LbSpec db = config.services().get("db").loadBalancer().orElseThrow();

    // Then it is TCP and the string reads as a list of one
    assertEquals(Protocol.TCP, db.protocol());
    assertEquals("localhost:5432", db.listen());
    assertEquals(Set.of(RetryOn.GATEWAY_ERROR), db.retries().retryOn());
  }

  @Test
  void aServiceWithoutTheBlockHasNoLoadBalancer() throws Exception {
    // Given a service without load-balancer / When it is loaded
    VigilConfig config = TestConfigs.load(TestConfigs.valid("minimal.conf"));

    // Then it has none
    assertEquals(Optional.empty(), config.services().get("hello").loadBalancer());
  }

  @Test
  void aChangedLoadBalancerIsAChangedService() throws Exception {
    // Given a service as loaded, and the same with another load balancer
    ServiceSpec web = TestConfigs.load(TestConfigs.valid("load-balancer.conf")).services()
        .get("web");
    LbSpec lb = web.loadBalancer().orElseThrow();
    LbSpec moved = new LbSpec(lb.host(), 8081, lb.protocol(), lb.balance(), lb.slowStart(),
        lb.timeouts(), lb.limits(), lb.retries(), lb.outlier(), lb.fallback());
    ServiceSpec changed = new ServiceSpec(web.name(), web.command(), web.workingDir(), web.env(),
        web.user(), web.instances(), web.port(), web.probes(), web.restart(), web.stop(),
        web.limits(), new Origin("elsewhere.conf", 1), Optional.of(moved));

    // When they are compared / Then only the load balancer tells them apart
    assertFalse(web.sameSettingsAs(changed));
    assertTrue(web.sameSettingsAs(web.withInstances(2)));
    assertEquals(web.loadBalancer(), web.withInstances(5).loadBalancer());
  }
}

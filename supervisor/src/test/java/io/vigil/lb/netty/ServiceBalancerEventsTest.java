package io.vigil.lb.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.embedded.EmbeddedChannel;
import io.vigil.instance.InstanceId;
import io.vigil.lb.Balance;
import io.vigil.lb.FallbackSpec;
import io.vigil.lb.LbSpec;
import io.vigil.lb.LimitsSpec;
import io.vigil.lb.OutlierSpec;
import io.vigil.lb.Outcome;
import io.vigil.lb.Protocol;
import io.vigil.lb.RetryOn;
import io.vigil.lb.RetrySpec;
import io.vigil.lb.TimeoutsSpec;
import io.vigil.netty.Transport;
import io.vigil.time.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load balancer reports ejections, returns and refused ejections to its {@link LbEvents}
 * with the Ticker time they happened at, from the call that caused them; a listener that throws
 * does not break that call. Fake time, no sockets: the event loop is an EmbeddedChannel's.
 */
class ServiceBalancerEventsTest {
  private static final InstanceId A = new InstanceId("web", 0);
  private static final InstanceId B = new InstanceId("web", 1);
  private static final Duration S = Duration.ofSeconds(1);

  private static final long START = 123_000_000_000L;

  private final FakeTicker ticker = new FakeTicker(START);
  private final List<String> heard = new ArrayList<>();
  private final EmbeddedChannel loop = new EmbeddedChannel();
  private ServiceBalancer service;

  private ServiceBalancer service(LbEvents events) {
    LbSpec spec = new LbSpec("127.0.0.1", 0, Protocol.HTTP, Balance.ROUND_ROBIN, Duration.ZERO,
        new TimeoutsSpec(S, S, S, S, S, S), new LimitsSpec(10, 10, 10),
        new RetrySpec(2, Optional.empty(), S, S, 20, 3, Set.of(RetryOn.CONNECT_FAILURE)),
        new OutlierSpec(3, 0, 0, Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(300), 50, false),
        new FallbackSpec(503, "none", "text/plain"));
    service = new ServiceBalancer("web", spec, ticker, events, LbMetrics.NONE, Transport.nio(),
        loop.eventLoop(), new LoopTimers());
    service.updateEndpoints(List.of(new Endpoint(A, "127.0.0.1", 1),
        new Endpoint(B, "127.0.0.1", 2)));
    return service;
  }

  @AfterEach
  void close() {
    if (service != null) {
      service.cancelTimers();
    }
    loop.finishAndReleaseAll();
  }

  @Test
  void eachChangeIsReportedOnceWithTheTimeItHappenedAt() {
    // Given A and B, 3 consecutive 5xx eject for 30 s, at most one of the two
    ServiceBalancer lb = service((e, now) -> heard.add(e.type() + " " + e.instance() + " at "
        + seconds(now) + " until " + (e.untilNanos() == 0 ? "-" : seconds(e.untilNanos()))));

    // When A answers 500 three times at +1 s
    ticker.advance(S);
    for (int i = 0; i < 3; i++) {
      lb.record(A, Outcome.response(500));
    }
    // and B too at +2 s (the cap keeps it in: reported once, not per failure)
    ticker.advance(S);
    for (int i = 0; i < 4; i++) {
      lb.record(B, Outcome.response(500));
    }
    // and a pick at +31 s finds A's time up
    ticker.advance(Duration.ofSeconds(29));
    lb.pick(Set.of());

    // Then
    assertEquals(List.of("EJECTED web/0 at 1s until 31s", "OVERFLOW web/1 at 2s until -",
        "RETURNED web/0 at 31s until -"), heard);
  }

  /** Seconds since the fake ticker's start. */
  private static String seconds(long nanos) {
    return (nanos - START) / 1_000_000_000L + "s";
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheRequestThatReportedTheEvent() {
    ServiceBalancer lb = service((e, now) -> {
      heard.add(e.type().name());
      throw new IllegalStateException("listener bug");
    });

    for (int i = 0; i < 3; i++) {
      lb.record(A, Outcome.response(500));
    }
    lb.finished(A, false, Outcome.response(200));

    assertEquals(List.of("EJECTED"), heard);
  }
}

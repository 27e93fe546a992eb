package io.vigil.lb;

import java.time.Duration;

/**
 * The load balancer's timeouts, all greater than zero.
 *
 * @param connect a connection to an instance must be established within this
 * @param request from the end of the request to the response head, over all tries and back-offs;
 *     then 504
 * @param idle a client connection with no bytes either way for this long is closed
 * @param upstreamIdle an idle pooled connection to an instance is closed after this
 * @param header a client must send a whole request head within this once it has started one
 * @param drain how long the supervisor waits for requests in flight to an instance it stops
 */
public record TimeoutsSpec(Duration connect, Duration request, Duration idle, Duration upstreamIdle,
    Duration header, Duration drain) {
  public TimeoutsSpec {
    for (Duration d : new Duration[] {connect, request, idle, upstreamIdle, header, drain}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("every timeout must be > 0: " + d);
      }
    }
  }
}

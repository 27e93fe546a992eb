package io.vigil.probe.check;

import io.netty.channel.Channel;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One open HTTP connection to a probe target, kept for the next check when both sides allow it.
 * Confined to the probe event loop.
 */
final class ProbeConnection {
  final Endpoint endpoint;
  final Channel channel;
  final StatusHandler handler;
  final long openedAtNanos;
  private final long maxAgeNanos;
  /** Its close listener is installed: the pool forgets the connection when the peer closes it. */
  boolean watched;

  ProbeConnection(Endpoint endpoint, Channel channel, StatusHandler handler, long openedAtNanos) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.handler = handler;
    this.openedAtNanos = openedAtNanos;
    this.maxAgeNanos = IdleConnections.maxAgeNanos(ThreadLocalRandom.current().nextDouble());
  }

  /** Past its own age limit, somewhere in [MIN_AGE, MAX_AGE] of {@link IdleConnections}. */
  boolean tooOld(long now) {
    return now - openedAtNanos >= maxAgeNanos;
  }
}

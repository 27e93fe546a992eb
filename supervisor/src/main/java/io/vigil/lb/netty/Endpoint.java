package io.vigil.lb.netty;

import io.vigil.instance.InstanceId;

/** A ready instance the load balancer may send new requests to, at {@code host:port}. */
public record Endpoint(InstanceId id, String host, int port) {
  @Override
  public String toString() {
    return id + "@" + host + ":" + port;
  }
}

package io.vigil.lb.netty;

import io.vigil.instance.InstanceId;

/**
 * What the load balancer tells the supervisor: an instance was ejected for failing requests (the
 * supervisor probes it at once, HAProxy's {@code observe} + {@code on-error fastinter}), or its
 * ejection ended. An instance that leaves the ready list while ejected is forgotten, ejection
 * and all, without a {@code returned}. Called on a Netty event loop, outside any lock: post,
 * don't block.
 */
public interface LbEvents {
  void ejected(InstanceId id, String reason);

  void returned(InstanceId id);

  LbEvents NONE = new LbEvents() {
    @Override
    public void ejected(InstanceId id, String reason) {}

    @Override
    public void returned(InstanceId id) {}
  };
}

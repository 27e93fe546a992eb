package io.vigil.lb.netty;

import io.vigil.lb.OutlierEvent;

/**
 * What the load balancer tells the supervisor: an instance was ejected for failing requests (the
 * supervisor probes it at once, HAProxy's {@code observe} + {@code on-error fastinter}), its
 * ejection ended, or max-ejection-percent refused one. An instance that leaves the ready list
 * while ejected is forgotten, ejection and all, without a {@code RETURNED}. Called on a Netty
 * event loop, outside any lock: post, don't block.
 */
@FunctionalInterface
public interface LbEvents {
  /**
   * @param nowNanos when it happened, on the load balancer's Ticker (the clock of {@code
   *     event.untilNanos()})
   */
  void outlier(OutlierEvent event, long nowNanos);

  LbEvents NONE = (event, nowNanos) -> {};
}

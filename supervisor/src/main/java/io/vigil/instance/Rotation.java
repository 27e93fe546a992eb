package io.vigil.instance;

/**
 * Where the load balancer's outlier detection (its per-instance circuit breaker) has a ready
 * instance: taking requests, or ejected for a while after failing ones.
 */
public enum Rotation {
  /** Gets new requests (the breaker is closed). */
  IN_ROTATION,
  /** Taken out for failing requests until its ejection time is over (the breaker is open). */
  EJECTED
}

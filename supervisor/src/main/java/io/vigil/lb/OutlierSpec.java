package io.vigil.lb;

import java.time.Duration;

/**
 * Passive ejection of failing instances, with Envoy's rules (see {@link OutlierDetector}).
 *
 * @param consecutive5xx 5xx responses in a row that eject an instance; 0 = off
 * @param consecutiveGatewayErrors 502, 503 or 504 responses in a row that eject; 0 = off
 * @param consecutiveLocalFailures connect failures, resets and timeouts in a row that eject; 0 = off
 * @param interval an instance healthy this long after its return has its ejection count lowered
 *     by one (Envoy's decay on each sweep)
 * @param baseEjectionTime the first ejection lasts this; the n-th in a row n times this ...
 * @param maxEjectionTime ... but never longer than this
 * @param maxEjectionPercent never more than this percentage of the instances ejected at once
 * @param alwaysEjectOne one instance may be ejected whatever the percentage says
 */
public record OutlierSpec(int consecutive5xx, int consecutiveGatewayErrors,
    int consecutiveLocalFailures, Duration interval, Duration baseEjectionTime,
    Duration maxEjectionTime, int maxEjectionPercent, boolean alwaysEjectOne) {
  public OutlierSpec {
    if (consecutive5xx < 0 || consecutiveGatewayErrors < 0 || consecutiveLocalFailures < 0) {
      throw new IllegalArgumentException("thresholds must be >= 0");
    }
    if (interval.isNegative() || interval.isZero() || baseEjectionTime.isNegative()
        || baseEjectionTime.isZero() || maxEjectionTime.compareTo(baseEjectionTime) < 0) {
      throw new IllegalArgumentException("need interval > 0 and 0 < base <= max");
    }
    if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
      throw new IllegalArgumentException("max ejection percent must be 0..100");
    }
  }
}

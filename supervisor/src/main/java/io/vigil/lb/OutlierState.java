package io.vigil.lb;

/**
 * One instance as the {@link OutlierDetector} sees it at some {@code now}.
 *
 * @param ejectedUntilNanos when its ejection ends (Ticker time), or 0 if it is not ejected
 * @param timesEjected the multiplier of the next ejection's base time, after decay
 */
public record OutlierState(boolean ejected, long ejectedUntilNanos, int timesEjected,
    int consecutive5xx, int consecutiveGatewayErrors, int consecutiveLocalFailures) {
  static final OutlierState UNKNOWN = new OutlierState(false, 0, 0, 0, 0, 0);
}

package io.vigil.demo;

/**
 * The injected faults at one moment; immutable, replaced as a whole on every change.
 *
 * @param hung every request blocks until the process ends
 * @param slowMs delay added to every service response; 0 = off
 * @param errorRate fraction of {@code GET /} requests answered with 500, in [0, 1]
 * @param ready whether {@code /readyz} answers 200 (else 503)
 */
record FaultState(boolean hung, int slowMs, double errorRate, boolean ready) {
  static final FaultState NONE = new FaultState(false, 0, 0.0, true);

  FaultState withHung(boolean value) {
    return new FaultState(value, slowMs, errorRate, ready);
  }

  FaultState withSlowMs(int value) {
    return new FaultState(hung, value, errorRate, ready);
  }

  FaultState withErrorRate(double value) {
    return new FaultState(hung, slowMs, value, ready);
  }

  FaultState withReady(boolean value) {
    return new FaultState(hung, slowMs, errorRate, value);
  }

  String toJson(int leakedMiB) {
    return "{\"hung\":" + hung
        + ",\"slowMs\":" + slowMs
        + ",\"errorRate\":" + errorRate
        + ",\"ready\":" + ready
        + ",\"leakedMiB\":" + leakedMiB
        + "}";
  }
}

package io.vigil.probe;

/**
 * The result of one check against a target. A failing target is an outcome (connection refused,
 * timeout, HTTP 500), not an exception.
 */
public record CheckOutcome(boolean success, String detail) {
  public static CheckOutcome success(String detail) {
    return new CheckOutcome(true, detail);
  }

  public static CheckOutcome failure(String detail) {
    return new CheckOutcome(false, detail);
  }
}

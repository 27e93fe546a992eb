package io.vigil.lb;

/**
 * How one try at an instance ended: a response head with a status, or one of the local-origin
 * failures where no response came (Envoy's split between external and local-origin errors).
 */
public record Outcome(Kind kind, int status) {
  /** What happened. */
  public enum Kind {
    /** A response head arrived; {@link #status()} is its code. */
    RESPONSE,
    /** The connection could not be established: the request never reached the instance. */
    CONNECT_FAILURE,
    /** The connection closed or failed before a complete response. */
    RESET,
    /** The per-try or request timeout fired before the response head. */
    TIMEOUT
  }

  public Outcome {
    if ((kind == Kind.RESPONSE) != (status >= 100 && status <= 599)) {
      throw new IllegalArgumentException(kind + " with status " + status);
    }
  }

  public static Outcome response(int status) {
    return new Outcome(Kind.RESPONSE, status);
  }

  /**
   * TCP mode: an established connection is the only answer there is, so it counts as a success
   * (Envoy reports LOCAL_ORIGIN_CONNECT_SUCCESS), recorded as a 200.
   */
  public static Outcome connected() {
    return response(200);
  }

  public static Outcome connectFailure() {
    return new Outcome(Kind.CONNECT_FAILURE, 0);
  }

  public static Outcome reset() {
    return new Outcome(Kind.RESET, 0);
  }

  public static Outcome timeout() {
    return new Outcome(Kind.TIMEOUT, 0);
  }

  public boolean serverError() {
    return kind == Kind.RESPONSE && status >= 500;
  }

  /** 502, 503 or 504: the instance says something behind it failed or it is overloaded. */
  public boolean gatewayError() {
    return kind == Kind.RESPONSE && status >= 502 && status <= 504;
  }

  /** No response at all: connect failure, reset or timeout. */
  public boolean localFailure() {
    return kind != Kind.RESPONSE;
  }

  @Override
  public String toString() {
    return kind == Kind.RESPONSE ? Integer.toString(status)
        : kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}

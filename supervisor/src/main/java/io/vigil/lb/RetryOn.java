package io.vigil.lb;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The failures a request may be retried on, named as Envoy's {@code retry_on} values. As in Envoy,
 * {@code gateway-error} and {@code 5xx} include the failures where no response came at all.
 */
public enum RetryOn {
  /** The connection to the instance failed: the request never reached it. */
  CONNECT_FAILURE("connect-failure"),
  /** The connection closed, or the per-try timeout fired, before a response head arrived. */
  RESET("reset"),
  /** 502, 503 or 504 from the instance, and every failure of {@link #CONNECT_FAILURE} and {@link #RESET}. */
  GATEWAY_ERROR("gateway-error"),
  /** Any 5xx from the instance, and everything {@link #GATEWAY_ERROR} covers. */
  SERVER_ERROR("5xx");

  private final String key;

  RetryOn(String key) {
    this.key = key;
  }

  /** The name used in the configuration. */
  public String key() {
    return key;
  }

  public static Optional<RetryOn> parse(String key) {
    return Arrays.stream(values()).filter(r -> r.key.equals(key.toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  public static List<String> keys() {
    return Arrays.stream(values()).map(RetryOn::key).toList();
  }
}

package io.vigil.cli.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * No answer from Vigil at all: connection refused, a timeout, or a connection lost mid-answer.
 * Commands print {@link #getMessage()} as one line and exit 3.
 */
final class Unreachable extends Exception {
  Unreachable(URI base, String reason) {
    super("cannot reach Vigil at " + base + " (" + reason + "); is it running?");
  }

  static Unreachable of(URI base, IOException e, Duration connectTimeout, Duration timeout) {
    return new Unreachable(base, reason(e, connectTimeout, timeout));
  }

  /** The cause in a few words; the JDK's ConnectException often has no message at all. */
  static String reason(IOException e, Duration connectTimeout, Duration timeout) {
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within " + connectTimeout.toSeconds() + "s";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + timeout.toSeconds() + "s";
    }
    if (causedBy(e, UnresolvedAddressException.class)) {
      return "unknown host";
    }
    if (e instanceof ConnectException) {
      String message = deepestMessage(e);
      return message == null ? "connection refused" : message.toLowerCase(java.util.Locale.ROOT);
    }
    String message = deepestMessage(e);
    return message == null ? e.getClass().getSimpleName() : message;
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String deepestMessage(Throwable t) {
    String message = null;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        message = c.getMessage();
      }
    }
    return message;
  }
}

package io.vigil.probe.check;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Short, operator-facing details of target faults ("connect: connection refused", "timed out
 * after 1s"). They end up in events and the API, so they name the fault, not the exception class.
 */
final class Detail {
  static final String NO_PORT = "no port";
  static final int MAX_LENGTH = 200;

  // Transports word the same errno differently (NIO: "Connection refused: /127.0.0.1:9",
  // epoll: "finishConnect(..) failed: Connection refused"), so match the errno text itself.
  private static final List<String> KNOWN_REASONS =
      List.of(
          "connection refused",
          "connection reset",
          "connection timed out",
          "no route to host",
          "network is unreachable",
          "host is unreachable",
          "broken pipe");

  private Detail() {}

  static String timedOut(Duration timeout) {
    return "timed out after " + format(timeout);
  }

  /** "1s" for whole seconds, else "1500ms": the units an operator wrote in the config. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /**
   * True for faults of the target or the network. Anything else thrown at a check is a bug in
   * Vigil and must not be reported as the target failing (STYLE point 6).
   */
  static boolean isTargetFault(Throwable cause) {
    return cause instanceof IOException
        || cause instanceof UnresolvedAddressException
        || cause instanceof DecoderException;
  }

  /** "connect: connection refused", or "connect: timed out after 1s". */
  static String connectFailure(Throwable cause, Duration timeout) {
    if (cause instanceof ConnectTimeoutException) {
      return "connect: " + timedOut(timeout);
    }
    return "connect: " + reason(cause);
  }

  static String reason(Throwable cause) {
    if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
      return "unknown host";
    }
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      return cause.getClass().getSimpleName();
    }
    String lower = message.toLowerCase(Locale.ROOT);
    for (String known : KNOWN_REASONS) {
      if (lower.contains(known)) {
        return known;
      }
    }
    return truncate(message);
  }

  /** The last non-blank line of a command's output, truncated; "" when there is none. */
  static String lastLine(String output) {
    if (output == null) {
      return "";
    }
    String trimmed = output.strip();
    int newline = Math.max(trimmed.lastIndexOf('\n'), trimmed.lastIndexOf('\r'));
    return truncate(trimmed.substring(newline + 1).strip());
  }

  static String truncate(String text) {
    return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH) + "...";
  }
}

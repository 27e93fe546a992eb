package io.vigil.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnreachableTest {
  private static String reason(IOException e) {
    return Unreachable.reason(e, Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  @Test
  void reasonsInAFewWords() {
    assertEquals("connection refused", reason(new ConnectException()));
    assertEquals("connection refused",
        reason((IOException) new ConnectException().initCause(
            new ConnectException("Connection refused"))));
    assertEquals("unknown host", reason((IOException) new ConnectException().initCause(
        new UnresolvedAddressException())));
    assertEquals("no connection within 5s", reason(new HttpConnectTimeoutException("x")));
    assertEquals("no answer within 30s", reason(new HttpTimeoutException("request timed out")));
    assertEquals("Connection reset", reason(new IOException("Connection reset")));
    assertEquals("IOException", reason(new IOException()));
  }

  @Test
  void messageNamesTheAddressAndAsks() {
    assertEquals("cannot reach Vigil at http://127.0.0.1:9650 (connection refused); is it"
        + " running?", new Unreachable(ApiTarget.DEFAULT, "connection refused").getMessage());
  }
}

package io.vigil.probe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DetailTest {

  @Test
  void durationsReadAsTheOperatorWroteThem() {
    assertEquals("1s", Detail.format(Duration.ofSeconds(1)));
    assertEquals("300ms", Detail.format(Duration.ofMillis(300)));
    assertEquals("1500ms", Detail.format(Duration.ofMillis(1500)));
    assertEquals("timed out after 2s", Detail.timedOut(Duration.ofSeconds(2)));
  }

  @Test
  void connectFailuresNameTheErrnoWhateverTheTransport() {
    Duration timeout = Duration.ofSeconds(1);
    // NIO and epoll word the same refusal differently.
    assertEquals(
        "connect: connection refused",
        Detail.connectFailure(new ConnectException("Connection refused: /127.0.0.1:9"), timeout));
    assertEquals(
        "connect: connection refused",
        Detail.connectFailure(
            new ConnectException("finishConnect(..) failed: Connection refused"), timeout));
    assertEquals(
        "connect: timed out after 1s",
        Detail.connectFailure(
            new ConnectTimeoutException("connection timed out after 1000 ms"), timeout));
    assertEquals(
        "connect: unknown host", Detail.connectFailure(new UnresolvedAddressException(), timeout));
  }

  @Test
  void unknownMessagesAreKeptButBounded() {
    assertEquals("Too many open files", Detail.reason(new IOException("Too many open files")));
    assertEquals("IOException", Detail.reason(new IOException()));
    assertEquals(Detail.MAX_LENGTH + 3, Detail.reason(new IOException("x".repeat(500))).length());
  }

  @Test
  void onlyIoAndProtocolErrorsAreTargetFaults() {
    assertTrue(Detail.isTargetFault(new ConnectException("refused")));
    assertTrue(Detail.isTargetFault(new TooLongFrameException("header too long")));
    assertTrue(Detail.isTargetFault(new UnresolvedAddressException()));
    assertFalse(Detail.isTargetFault(new NullPointerException()));
    assertFalse(Detail.isTargetFault(new IllegalStateException("closed")));
  }

  @Test
  void lastLineSkipsTrailingBlankLines() {
    assertEquals("third", Detail.lastLine("first\nsecond\r\nthird\n\n"));
    assertEquals("only", Detail.lastLine("only"));
    assertEquals("", Detail.lastLine("\n \n"));
    assertEquals("", Detail.lastLine(null));
  }
}

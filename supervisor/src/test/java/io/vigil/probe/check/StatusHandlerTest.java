package io.vigil.probe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP check's pipeline, driven by hand through an {@link EmbeddedChannel}: no sockets. */
class StatusHandlerTest {
  private final CompletableFuture<CheckOutcome> result = new CompletableFuture<>();
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new HttpClientCodec(), new StatusHandler(result));

  @AfterEach
  void closeChannel() {
    channel.finishAndReleaseAll();
  }

  @Test
  void okIsSuccessAndClosesTheConnection() {
    // Given
    sendProbeRequest();

    // When
    receive("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), result.join());
    assertFalse(channel.isOpen());
  }

  @Test
  void redirectIsSuccessAndIsNotFollowed() {
    // Given
    sendProbeRequest();

    // When
    receive("HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n");

    // Then
    assertEquals(CheckOutcome.success("HTTP 302"), result.join());
    assertTrue(channel.outboundMessages().isEmpty(), "no second request");
  }

  @Test
  void clientAndServerErrorsAreFailuresNamingTheStatus() {
    // Given
    sendProbeRequest();

    // When
    receive("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");

    // Then
    assertEquals(CheckOutcome.failure("HTTP 503"), result.join());
  }

  @Test
  void onlyTheHeadIsReadOfAHugeBody() {
    // Given
    sendProbeRequest();

    // When: the head and the first chunk of a 1 GiB body arrive in one read
    receive("HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n" + "x".repeat(8192));

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), result.join());
    assertFalse(channel.isOpen());
  }

  @Test
  void garbageIsABadResponse() {
    // Given
    sendProbeRequest();

    // When
    receive("SSH-2.0-OpenSSH_9.2\r\n\r\n");

    // Then
    CheckOutcome outcome = result.join();
    assertFalse(outcome.success());
    assertTrue(outcome.detail().startsWith("bad HTTP response: "), outcome.detail());
  }

  @Test
  void peerClosingBeforeAnsweringIsFailure() {
    // Given
    sendProbeRequest();

    // When
    channel.close();

    // Then
    assertEquals(CheckOutcome.failure("connection closed before response"), result.join());
  }

  @Test
  void resetWhileReadingIsFailure() {
    // Given
    sendProbeRequest();

    // When
    channel
        .pipeline()
        .fireExceptionCaught(new IOException("recvAddress(..) failed: Connection reset by peer"));

    // Then
    assertEquals(CheckOutcome.failure("read: connection reset"), result.join());
  }

  @Test
  void ourOwnBugIsNotReportedAsTheTargetFailing() {
    // Given
    sendProbeRequest();
    NullPointerException bug = new NullPointerException("bug");

    // When
    channel.pipeline().fireExceptionCaught(bug);

    // Then
    CompletionException thrown = assertThrows(CompletionException.class, result::join);
    assertSame(bug, thrown.getCause());
  }

  private void sendProbeRequest() {
    CheckSpec.Http spec = new CheckSpec.Http("/healthz", OptionalInt.empty(), Map.of());
    channel.writeOutbound(HttpCheck.request(spec, "127.0.0.1", 8080));
    channel.releaseOutbound();
  }

  private void receive(String bytes) {
    ByteBuf buf = Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII);
    channel.writeInbound(buf);
  }
}

package io.vigil.probe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.vigil.agent.ProcessIdentity;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One HTTP check from connection to outcome, and what becomes of the connection afterwards, on
 * Netty's {@link EmbeddedChannel}: no sockets, and time moves only when the test says so.
 */
class HttpExchangeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final Endpoint ENDPOINT =
      new Endpoint("127.0.0.1", 8080, Optional.of(new ProcessIdentity(4100, 7700)));
  /** The same port, served by the process that replaced the first one. */
  private static final Endpoint RESTARTED =
      new Endpoint("127.0.0.1", 8080, Optional.of(new ProcessIdentity(4200, 7900)));
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  /** Owns the fake clock: the exchange's timers and the pool's sweep run on its loop. */
  private final EmbeddedChannel clock = new EmbeddedChannel();
  private final IdleConnections idle = new IdleConnections(clock.eventLoop());
  private final EncodedRequests requests = new EncodedRequests();
  /** Every request the checks were given: each must be released by the end of the test. */
  private final List<EncodedRequest> handedOut = new ArrayList<>();
  private final List<EmbeddedChannel> opened = new ArrayList<>();
  private Throwable connectFault;
  private RuntimeException connectBug;

  HttpExchangeTest() {
    clock.freezeTime();
  }

  @AfterEach
  void closeChannelsAndCheckNoRequestLeaked() {
    advance(TIMEOUT.multipliedBy(2)); // exchanges still waiting end at their timeout
    opened.forEach(EmbeddedChannel::finishAndReleaseAll);
    clock.finishAndReleaseAll();
    requests.clear();
    for (EncodedRequest request : handedOut) {
      assertEquals(0, request.refCnt(), "a reference to the request was leaked");
    }
  }

  @Test
  void okIsSuccessAndTheConnectionCarriesTheNextCheck() {
    // Given
    CompletableFuture<CheckOutcome> first = check(true);
    respond(0, OK);

    // When
    CompletableFuture<CheckOutcome> second = check(true);
    respond(0, OK);

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), done(first));
    assertEquals(CheckOutcome.success("HTTP 200"), done(second));
    assertEquals(1, opened.size(), "one connection for both checks");
    assertEquals(2, requestsOn(0));
    assertEquals(1, idle.size());
  }

  @Test
  void withoutKeepAliveEveryCheckHasItsOwnConnection() {
    // Given
    CompletableFuture<CheckOutcome> first = check(false);
    respond(0, OK);

    // When
    CompletableFuture<CheckOutcome> second = check(false);
    respond(1, OK);

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), done(first));
    assertEquals(CheckOutcome.success("HTTP 200"), done(second));
    assertEquals(2, opened.size());
    assertFalse(opened.get(0).isOpen());
    assertEquals(0, idle.size());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
      // HTTP/1.0 keep-alive was an unstandardised extension: not trusted
      "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"})
  void anAnswerThatEndsTheConnectionIsNotFollowedByAnotherCheckOnIt(String answer) {
    // Given
    CompletableFuture<CheckOutcome> first = check(true);

    // When
    respond(0, answer);
    CompletableFuture<CheckOutcome> second = check(true);
    respond(1, OK);

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), done(first));
    assertEquals(CheckOutcome.success("HTTP 200"), done(second));
    assertFalse(opened.get(0).isOpen());
    assertEquals(2, opened.size());
  }

  @Test
  void aProcessRestartedOnTheSamePortNeverGetsItsPredecessorsConnection() {
    // Given: a kept connection to the instance's first process
    check(true, ENDPOINT);
    respond(0, OK);

    // When: the instance was restarted, and its new process is checked on the same port
    CompletableFuture<CheckOutcome> result = check(true, RESTARTED);
    respond(1, OK);

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), done(result));
    assertEquals(2, opened.size(), "a new connection for the new process");
    assertEquals(1, requestsOn(0), "nothing more sent to the old process");
  }

  @Test
  void aHungServerOnAKeptConnectionFailsAtTheTimeoutAndTheConnectionIsDropped() {
    // Given: a kept connection, and a server that no longer answers on it
    check(true);
    respond(0, OK);
    CompletableFuture<CheckOutcome> hung = check(true);

    // When
    advance(TIMEOUT.minusMillis(1));
    boolean doneBeforeTheTimeout = hung.isDone();
    advance(Duration.ofMillis(1));

    // Then
    assertFalse(doneBeforeTheTimeout);
    assertEquals(CheckOutcome.failure("timed out after 1s"), done(hung));
    assertFalse(opened.get(0).isOpen());
    assertEquals(0, idle.size());
    check(true);
    assertEquals(2, opened.size(), "the next check connects anew");
  }

  @Test
  void aKeptConnectionClosedBeforeAnsweringIsRetriedOnANewOne() {
    // Given: the server's idle timeout closes the connection just as the check sends on it
    check(true);
    respond(0, OK);
    CompletableFuture<CheckOutcome> raced = check(true);

    // When
    opened.get(0).close();
    respond(1, OK);

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), done(raced));
    assertEquals(2, opened.size());
  }

  @Test
  void aKeptConnectionResetBeforeAnsweringIsRetriedAndTheRetryDecides() {
    // Given
    check(true);
    respond(0, OK);
    CompletableFuture<CheckOutcome> raced = check(true);

    // When: reset, and the new connection is refused (the server is gone)
    connectFault = new ConnectException("Connection refused");
    opened.get(0).pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

    // Then
    assertEquals(CheckOutcome.failure("connect: connection refused"), done(raced));
  }

  @Test
  void aRetryDoesNotExtendTheTimeout() {
    // Given: half the timeout passes on a kept connection, which then closes
    check(true);
    respond(0, OK);
    CompletableFuture<CheckOutcome> raced = check(true);
    advance(TIMEOUT.dividedBy(2));
    opened.get(0).close();

    // When: the new connection does not answer either
    advance(TIMEOUT.dividedBy(2));

    // Then
    assertEquals(CheckOutcome.failure("timed out after 1s"), done(raced));
    assertFalse(opened.get(1).isOpen());
  }

  @Test
  void aConnectionTheServerClosesWhileIdleLeavesThePool() {
    // Given
    check(true);
    respond(0, OK);

    // When
    opened.get(0).close();

    // Then
    assertEquals(0, idle.size());
    check(true);
    assertEquals(2, opened.size());
  }

  @Test
  void aNewConnectionClosedBeforeAnsweringIsAFailure() {
    // Given
    CompletableFuture<CheckOutcome> result = check(true);

    // When
    opened.get(0).close();

    // Then
    assertEquals(CheckOutcome.failure("connection closed before response"), done(result));
    assertEquals(1, opened.size(), "no retry on a connection that never answered");
  }

  @Test
  void aConnectionIsReplacedOnceItIsAMinuteOld() {
    // Given
    check(true);
    respond(0, OK);
    advance(Duration.ofSeconds(30));
    check(true);
    respond(0, OK);

    // When
    advance(IdleConnections.MAX_AGE.minusSeconds(30));
    check(true);

    // Then
    assertFalse(opened.get(0).isOpen());
    assertEquals(2, opened.size());
  }

  @Test
  void aConnectionIsKeptUntilItsAgeLimitOfAtLeast225Seconds() {
    // Given a connection
    check(true);
    respond(0, OK);

    // When checks come every 4 s for 224 s / Then all go on it
    for (int i = 0; i < 56; i++) {
      advance(Duration.ofSeconds(4));
      check(true);
      respond(0, OK);
    }
    assertEquals(1, opened.size());
  }

  @Test
  void ageLimitsAreSpreadOverTheLastQuarterOfFiveMinutes() {
    assertEquals(Duration.ofSeconds(225).toNanos(), IdleConnections.maxAgeNanos(0));
    assertEquals(Duration.ofMillis(262_500).toNanos(), IdleConnections.maxAgeNanos(0.5));
    long highest = IdleConnections.maxAgeNanos(Math.nextDown(1.0));
    assertTrue(highest < IdleConnections.MAX_AGE.toNanos()
        && highest > IdleConnections.MAX_AGE.minusMillis(1).toNanos(), highest + " ns");
  }

  @Test
  void idleConnectionsOfTargetsNoLongerCheckedAreClosed() {
    // Given
    check(true);
    respond(0, OK);

    // When: nothing checks it again
    advance(IdleConnections.MAX_AGE);

    // Then
    assertFalse(opened.get(0).isOpen());
    assertEquals(0, idle.size());
  }

  @Test
  void anIdleConnectionThatSendsUnaskedIsClosed() {
    // Given
    check(true);
    respond(0, OK);

    // When
    respond(0, OK);

    // Then
    assertFalse(opened.get(0).isOpen());
    assertEquals(0, idle.size());
  }

  @Test
  void redirectIsSuccessAndIsNotFollowed() {
    // Given
    CompletableFuture<CheckOutcome> result = check(true);

    // When
    respond(0, "HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n");

    // Then
    assertEquals(CheckOutcome.success("HTTP 302"), done(result));
    assertEquals(1, requestsOn(0), "no second request");
  }

  @Test
  void clientAndServerErrorsAreFailuresNamingTheStatus() {
    // Given
    CompletableFuture<CheckOutcome> result = check(true);

    // When
    respond(0, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");

    // Then
    assertEquals(CheckOutcome.failure("HTTP 503"), done(result));
    assertEquals(1, idle.size(), "a failing answer still leaves a sound connection");
  }

  @Test
  void onlyTheHeadIsReadOfAHugeBody() {
    // Given
    CompletableFuture<CheckOutcome> result = check(true);

    // When: the head and the first chunk of a 1 GiB body arrive in one read
    respond(0, "HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n" + "x".repeat(8192));

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), done(result));
    assertFalse(opened.get(0).isOpen());
  }

  @Test
  void aShortChunkedBodyIsReadToTheEndAndTheConnectionKept() {
    // Given
    CompletableFuture<CheckOutcome> result = check(true);

    // When
    respond(0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n");
    int keptBeforeTheEnd = idle.size();
    respond(0, "0\r\n\r\n");

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), done(result));
    assertEquals(0, keptBeforeTheEnd);
    assertEquals(1, idle.size());
  }

  @Test
  void aLongChunkedBodyIsNotReadToTheEnd() {
    // Given
    CompletableFuture<CheckOutcome> result = check(true);
    String chunk = Integer.toHexString(32 * 1024) + "\r\n" + "x".repeat(32 * 1024) + "\r\n";

    // When
    respond(0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk.repeat(3));

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), done(result));
    assertFalse(opened.get(0).isOpen());
  }

  @Test
  void aMalformedHeaderLineIsABadResponse() {
    // Given
    CompletableFuture<CheckOutcome> result = check(true);

    // When: a header name that is not a token, which the kubelet's Go client refuses too
    respond(0, "HTTP/1.1 200 OK\r\nBad(Header): x\r\nContent-Length: 0\r\n\r\n");

    // Then
    CheckOutcome outcome = done(result);
    assertFalse(outcome.success(), outcome.detail());
    assertTrue(outcome.detail().startsWith("bad HTTP response: "), outcome.detail());
  }

  @Test
  void garbageIsABadResponse() {
    // Given
    CompletableFuture<CheckOutcome> result = check(true);

    // When
    respond(0, "SSH-2.0-OpenSSH_9.2\r\n\r\n");

    // Then
    CheckOutcome outcome = done(result);
    assertFalse(outcome.success());
    assertTrue(outcome.detail().startsWith("bad HTTP response: "), outcome.detail());
    assertFalse(opened.get(0).isOpen());
  }

  @Test
  void resetWhileReadingOnANewConnectionIsFailure() {
    // Given
    CompletableFuture<CheckOutcome> result = check(true);

    // When
    opened.get(0).pipeline()
        .fireExceptionCaught(new IOException("recvAddress(..) failed: Connection reset by peer"));

    // Then
    assertEquals(CheckOutcome.failure("read: connection reset"), done(result));
  }

  @Test
  void refusedConnectionIsFailure() {
    // Given
    connectFault = new ConnectException("Connection refused");

    // When
    CompletableFuture<CheckOutcome> result = check(true);

    // Then
    assertEquals(CheckOutcome.failure("connect: connection refused"), done(result));
  }

  @Test
  void ourOwnBugIsNotReportedAsTheTargetFailing() {
    // Given
    CompletableFuture<CheckOutcome> result = check(true);
    NullPointerException bug = new NullPointerException("bug");

    // When
    opened.get(0).pipeline().fireExceptionCaught(bug);

    // Then
    assertTrue(result.isDone());
    CompletionException thrown = assertThrows(CompletionException.class, result::join);
    assertSame(bug, thrown.getCause());
    assertFalse(opened.get(0).isOpen());
  }

  @Test
  void aCallerThatGivesUpClosesTheConnection() {
    // Given
    CompletableFuture<CheckOutcome> result = check(true);

    // When
    result.cancel(false);

    // Then
    assertFalse(opened.get(0).isOpen());
    assertNull(idle.take(ENDPOINT, clock.eventLoop().ticker().nanoTime()));
  }

  @Test
  void everyCheckOfATargetSendsTheSameEncodedBytes() {
    // Given: two checks on one kept connection
    check(true);
    respond(0, OK);
    check(true);
    respond(0, OK);
    EncodedRequest request = request(true, ENDPOINT);

    // When: both sends wait in the connection's outbound queue, then are taken (and released)
    int whileQueued = request.refCnt();
    int sent = requestsOn(0);

    // Then
    assertEquals(2, sent);
    assertEquals(1, requests.size(), "encoded once");
    assertEquals(3, whileQueued, "the cache's reference and one per send: shared, not copied");
    assertEquals(1, request.refCnt(), "each send and each check gave its reference back");
  }

  @Test
  void aRetryStillSendsTheRequestAfterTheCacheDroppedIt() {
    // Given: a check on a kept connection, whose send has gone out
    CompletableFuture<CheckOutcome> raced = secondCheckOnAKeptConnection();
    EncodedRequest request = request(true, ENDPOINT);
    requestsOn(0);

    // When: the cache starts again, then the connection closes before answering
    requests.clear();
    opened.get(0).close();
    respond(1, OK);

    // Then
    assertEquals(CheckOutcome.success("HTTP 200"), done(raced));
    assertEquals(1, requestsOn(1));
    assertEquals(0, request.refCnt(), "released by the check once it was done");
  }

  @Test
  void aRetryThatCannotConnectEndsTheCheckAsOurBug() {
    // Given
    CompletableFuture<CheckOutcome> raced = secondCheckOnAKeptConnection();
    EncodedRequest request = request(true, ENDPOINT);

    // When: the connection closes, and connecting anew throws (the probe loop is closing)
    connectBug = new IllegalStateException("probe loop is closed");
    opened.get(0).close();

    // Then
    assertTrue(raced.isDone(), "no outcome");
    CompletionException thrown = assertThrows(CompletionException.class, raced::join);
    assertSame(connectBug, thrown.getCause());
    requestsOn(0);
    assertEquals(1, request.refCnt(), "the check gave its reference back");
  }

  // ---- fixtures ------------------------------------------------------------------------------

  private CompletableFuture<CheckOutcome> check(boolean keepAlive) {
    return check(keepAlive, ENDPOINT);
  }

  /** A check answered on a new connection, then a second one sent on it, not yet answered. */
  private CompletableFuture<CheckOutcome> secondCheckOnAKeptConnection() {
    check(true);
    respond(0, OK);
    return check(true);
  }

  /** As HttpCheck starts one on the probe loop: the request from the cache, then the exchange. */
  private CompletableFuture<CheckOutcome> check(boolean keepAlive, Endpoint endpoint) {
    CompletableFuture<CheckOutcome> result = new CompletableFuture<>();
    new HttpExchange(endpoint, request(keepAlive, endpoint), TIMEOUT, clock.eventLoop(), idle,
        this::connect, result).start();
    return result;
  }

  private EncodedRequest request(boolean keepAlive, Endpoint endpoint) {
    CheckSpec.Http spec = new CheckSpec.Http("/healthz", OptionalInt.empty(), Map.of(), keepAlive);
    EncodedRequest request = requests.get(spec, endpoint.host(), endpoint.port());
    handedOut.add(request);
    return request;
  }

  /** The fake connector: a new embedded connection, or the fault or bug the test set. */
  private ChannelFuture connect(Endpoint endpoint, StatusHandler handler, Duration timeout) {
    if (connectBug != null) {
      throw connectBug;
    }
    EmbeddedChannel channel = new EmbeddedChannel(HttpCheck.responseDecoder(), handler);
    if (connectFault != null) {
      channel.close();
      return channel.newFailedFuture(connectFault);
    }
    opened.add(channel);
    return channel.newSucceededFuture();
  }

  private void respond(int connection, String bytes) {
    ByteBuf buf = Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII);
    opened.get(connection).writeInbound(buf);
  }

  /** How many requests were sent on a connection (what was sent is released). */
  private int requestsOn(int connection) {
    int requests = 0;
    for (Object out; (out = opened.get(connection).readOutbound()) != null; ) {
      if (out instanceof ByteBuf buf
          && buf.toString(StandardCharsets.US_ASCII).startsWith("GET ")) {
        requests++;
      }
      ReferenceCountUtil.release(out);
    }
    return requests;
  }

  /** Everything here runs synchronously: an outcome that is not there yet never will be. */
  private static CheckOutcome done(CompletableFuture<CheckOutcome> result) {
    assertTrue(result.isDone(), "no outcome");
    return result.join();
  }

  private void advance(Duration duration) {
    clock.advanceTimeBy(duration.toNanos(), TimeUnit.NANOSECONDS);
    clock.runScheduledPendingTasks();
  }
}

package io.vigil.probe.check;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vigil.probe.CheckOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP check: a kept-alive connection from the pool or a new one, the request, the outcome
 * from the response head, then the connection back to the pool or closed.
 *
 * <p>The outcome is the kubelet's whatever the connection: the timeout bounds the connect and
 * the whole exchange, refused and reset connections are failures, 200..399 is success. One
 * difference is not an outcome: a kept-alive connection can be closed by the server at the very
 * moment the check sends on it (its idle timeout), so a reused connection that is closed or
 * reset before any response arrives is retried once on a new connection, within the same
 * timeout, as HTTP clients retry idempotent requests (RFC 9110 section 9.2.2). Only that
 * second connection's fate counts.
 *
 * <p>The connection goes back to the pool only after the whole response has been read, and only
 * if both sides keep it alive and the body is short; otherwise it is closed.
 *
 * <p>The exchange holds a reference to its {@link EncodedRequest} from {@link #start} to its end,
 * so a retry can send it again even if the cache dropped it meanwhile; it is also the listener
 * of its own writes, rather than a new one per send.
 *
 * <p>Not thread-safe: {@link #start} and every callback run on the probe event loop.
 */
final class HttpExchange implements StatusHandler.Listener, ChannelFutureListener {
  /**
   * A longer body is not drained for the connection's sake: reconnecting next time is cheaper
   * than reading it every check, and a streaming endpoint never ends.
   */
  static final long MAX_DRAINED_BODY = 64 * 1024;

  /** Opens a new connection whose responses go to {@code handler}. */
  interface Connector {
    ChannelFuture connect(Endpoint endpoint, StatusHandler handler, Duration connectTimeout);
  }

  private final Endpoint endpoint;
  private final EncodedRequest request;
  private final Duration timeout;
  private final EventLoop loop;
  private final IdleConnections idle;
  private final Connector connector;
  private final CompletableFuture<CheckOutcome> result;

  private long deadline;
  private ScheduledFuture<?> timer;
  private Channel connecting;
  private ProbeConnection connection;
  private boolean reused;
  private boolean responded;
  private boolean reusable;
  private long drained;
  private boolean done;

  HttpExchange(Endpoint endpoint, EncodedRequest request, Duration timeout, EventLoop loop,
      IdleConnections idle, Connector connector, CompletableFuture<CheckOutcome> result) {
    this.endpoint = endpoint;
    this.request = request;
    this.timeout = timeout;
    this.loop = loop;
    this.idle = idle;
    this.connector = connector;
    this.result = result;
  }

  void start() {
    if (result.isDone()) {
      return; // the caller gave up, or the loop is closing
    }
    request.retain(); // released by finish()
    long now = now();
    deadline = now + timeout.toNanos();
    timer = loop.schedule(this::onTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
    // Whoever completes the result early (the caller, the loop closing) ends the exchange too.
    result.whenComplete((outcome, error) -> onResultCompleted());
    ProbeConnection pooled = request.keepAlive() ? idle.take(endpoint, now) : null;
    if (pooled != null) {
      reused = true;
      send(pooled);
    } else {
      connect();
    }
  }

  private void connect() {
    StatusHandler handler = new StatusHandler();
    long remaining = Math.max(1, deadline - now());
    ChannelFuture connect;
    try {
      connect = connector.connect(endpoint, handler, Duration.ofNanos(remaining));
    } catch (RuntimeException bug) {
      // A closed loop, or our bug: on a retry no caller would catch it, so end the check here.
      fail(bug, "connect");
      return;
    }
    connecting = connect.channel();
    connect.addListener((ChannelFuture f) -> onConnected(f, handler));
  }

  private void onConnected(ChannelFuture connect, StatusHandler handler) {
    connecting = null;
    if (done) {
      connect.channel().close();
    } else if (!connect.isSuccess()) {
      fail(connect.cause(), "connect");
    } else {
      send(new ProbeConnection(endpoint, connect.channel(), handler, now()));
    }
  }

  private void send(ProbeConnection open) {
    connection = open;
    open.handler.bind(this);
    open.channel.writeAndFlush(request.retainedDuplicate()).addListener(this);
  }

  /** A send is done: its failure counts if its connection is still the one in use. */
  @Override
  public void operationComplete(ChannelFuture written) {
    if (!written.isSuccess() && connection != null && connection.channel == written.channel()) {
      onFault(written.cause(), "send");
    }
  }

  @Override
  public void onResponse(HttpResponse head) {
    if (done || responded) {
      return;
    }
    responded = true;
    reusable = request.keepAlive() && reusableAfter(head);
    result.complete(StatusHandler.outcomeOf(head));
    if (!reusable) {
      finish(false);
    }
  }

  @Override
  public void onContent(HttpContent part) {
    if (done || !responded) {
      return;
    }
    drained += part.content().readableBytes();
    if (drained > MAX_DRAINED_BODY) {
      finish(false);
    } else if (part instanceof LastHttpContent) {
      finish(true);
    }
  }

  @Override
  public void onClosed() {
    if (done) {
      return;
    }
    if (mayRetry()) {
      retry();
      return;
    }
    result.complete(CheckOutcome.failure(StatusHandler.CLOSED_EARLY));
    finish(false);
  }

  @Override
  public void onReadFault(Throwable cause) {
    onFault(cause, "read");
  }

  private void onFault(Throwable cause, String stage) {
    if (done) {
      return;
    }
    if (Detail.isTargetFault(cause) && mayRetry()) {
      retry();
      return;
    }
    fail(cause, stage);
  }

  private void fail(Throwable cause, String stage) {
    if (!Detail.isTargetFault(cause)) {
      result.completeExceptionally(cause); // our bug: never a failing target
    } else if (stage.equals("connect")) {
      result.complete(CheckOutcome.failure(Detail.connectFailure(cause, timeout)));
    } else {
      result.complete(CheckOutcome.failure(stage + ": " + Detail.reason(cause)));
    }
    finish(false);
  }

  /** A kept-alive connection that died before answering: the server's idle close, most likely. */
  private boolean mayRetry() {
    return reused && !responded;
  }

  private void retry() {
    ProbeConnection stale = connection;
    connection = null;
    reused = false;
    stale.handler.unbind();
    stale.channel.close();
    connect();
  }

  private void onTimeout() {
    result.complete(CheckOutcome.failure(Detail.timedOut(timeout)));
    finish(false); // a connection that did not answer in time is not trusted again
  }

  private void onResultCompleted() {
    if (!loop.inEventLoop()) {
      loop.execute(this::onResultCompleted);
    } else if (!responded) {
      finish(false);
    }
  }

  /** Ends the exchange once: the timer, and the connection back to the pool or closed. */
  private void finish(boolean keep) {
    if (done) {
      return;
    }
    done = true;
    request.release();
    if (timer != null) {
      timer.cancel(false);
    }
    if (connecting != null) {
      connecting.close();
    }
    if (connection != null) {
      connection.handler.unbind();
      if (keep && reusable) {
        idle.offer(connection, now());
      } else {
        connection.channel.close();
      }
    }
  }

  /**
   * Whether the connection can carry the next check once this response is read: an HTTP/1.1
   * answer without {@code Connection: close}, whose end is known and near (a body of known, short
   * length, chunked, or none). HTTP/1.0 answers are never reused, even with {@code Connection:
   * keep-alive}: that header was an unstandardised extension, and such servers are rare enough
   * not to be worth the doubt.
   */
  private static boolean reusableAfter(HttpResponse head) {
    if (head.decoderResult().isFailure()
        || !HttpVersion.HTTP_1_1.equals(head.protocolVersion())
        || !HttpUtil.isKeepAlive(head)) {
      return false;
    }
    int status = head.status().code();
    if (status < 200) {
      return false; // an informational answer: the real one would follow
    }
    if (status == HttpResponseStatus.NO_CONTENT.code()
        || status == HttpResponseStatus.NOT_MODIFIED.code()) {
      return true;
    }
    if (HttpUtil.isTransferEncodingChunked(head)) {
      return true;
    }
    long length = HttpUtil.getContentLength(head, -1L);
    return length >= 0 && length <= MAX_DRAINED_BODY;
  }

  private long now() {
    return loop.ticker().nanoTime();
  }
}

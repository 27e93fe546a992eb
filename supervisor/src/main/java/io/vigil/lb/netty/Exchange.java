package io.vigil.lb.netty;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vigil.instance.InstanceId;
import io.vigil.lb.Limits;
import io.vigil.lb.Outcome;
import io.vigil.lb.RetryDecision;
import io.vigil.lb.TrafficPolicy;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client request, from its head to the last byte of its response. The request path, in
 * order:
 *
 * <ol>
 *   <li>{@link #start()}: limits (max-requests), then the body is either read whole (none, or up
 *       to {@link #REPLAY_LIMIT}: it can be sent again) or streamed (it cannot);
 *   <li>{@link #tryNext()}: pick an instance (balancer over the eligible ones), connect or reuse a
 *       pooled connection, send, with the per-try timeout armed;
 *   <li>{@link #failed} or {@link #onResponseHead}: record the outcome (outlier detector,
 *       requests in flight), then retry elsewhere after the back-off if the retry policy allows,
 *       else pass the response on, or answer for the instance ({@link #giveUp}: fallback, 502,
 *       504);
 *   <li>the response body is streamed to the client with read-after-write back-pressure, and
 *       {@link #finish} hands the connection back to the frontend.
 * </ol>
 *
 * <p>The request timeout runs from the end of the request (for a streamed body, once it was
 * sent whole) to the response head and covers every try and back-off; then 504. Event-loop confined: everything runs on the client connection's loop,
 * connections to instances included.
 */
final class Exchange {
  /** Bodies up to this size are kept in memory so that a failed try can send them again. */
  static final int REPLAY_LIMIT = 64 * 1024;

  private final ServiceBalancer service;
  private final HttpFrontend frontend;
  private final ChannelHandlerContext client;
  private final HttpRequest request;
  private final String method;
  private final boolean streamed;
  private final boolean overConnections;
  private final long startedAt;
  private final Set<InstanceId> tried = new HashSet<>();
  private CompositeByteBuf body;
  private boolean requestSlot;
  private boolean requestComplete;
  private boolean requestSent;
  private boolean retrySlot;
  private boolean responseStarted;
  private boolean clientKeepAlive;
  private boolean done;
  private int retries;
  private int status;
  private long deadline;
  private Outcome lastFailure;
  private Optional<InstanceId> answeredBy = Optional.empty();
  private Attempt attempt;
  private ScheduledFuture<?> deadlineTimer;
  private ScheduledFuture<?> backoffTimer;

  Exchange(ServiceBalancer service, HttpFrontend frontend, ChannelHandlerContext client,
      HttpRequest request, boolean overConnections) {
    this.service = service;
    this.frontend = frontend;
    this.client = client;
    this.request = request;
    this.method = request.method().name();
    this.overConnections = overConnections;
    this.startedAt = service.now();
    this.clientKeepAlive = HttpUtil.isKeepAlive(request) && !overConnections;
    long length = HttpUtil.getContentLength(request, -1L);
    this.streamed = HttpUtil.isTransferEncodingChunked(request) || length > REPLAY_LIMIT;
    prepareHead();
  }

  /** The head as instances will see it: hop-by-hop headers out, X-Forwarded-* in. */
  private void prepareHead() {
    HopByHop.strip(request);
    if (client.channel().remoteAddress() instanceof InetSocketAddress peer) {
      String forwarded = request.headers().get("X-Forwarded-For");
      String ip = peer.getAddress().getHostAddress();
      request.headers().set("X-Forwarded-For", forwarded == null ? ip : forwarded + ", " + ip);
    }
    request.headers().set("X-Forwarded-Proto", "http");
  }

  // ================================================================== the request path

  void start() {
    service.metrics.requestStarted(service.name);
    if (overConnections) {
      answer(Responses.overloaded(Limits.Kind.CONNECTIONS.reason(), false), 503);
      return;
    }
    if (!service.tryAcquire(Limits.Kind.REQUESTS)) {
      answer(Responses.overloaded(Limits.Kind.REQUESTS.reason(), clientKeepAlive), 503);
      return;
    }
    requestSlot = true;
    // Until the request is whole its timer does not run (Envoy's route timeout starts at the
    // end of the request); this deadline only bounds retries of failed connects meanwhile.
    deadline = service.now() + service.requestTimeoutNanos;
    if (streamed) {
      tryNext();
    } else {
      body = client.alloc().compositeBuffer();
      frontend.readMore(); // the body (maybe just its empty end), then tryNext()
    }
  }

  /** Picks an instance not tried yet and tries it; answers for the instances if none is left. */
  private void tryNext() {
    backoffTimer = null;
    if (done) {
      return;
    }
    TrafficPolicy.Pick pick = service.pick(tried);
    if (pick.instance().isEmpty()) {
      if (retrySlot) {
        retrySlot = false;
        service.retryAbandoned();
      }
      giveUp(pick.reason());
      return;
    }
    InstanceId id = pick.instance().get();
    tried.add(id);
    attempt = new Attempt(id, retrySlot);
    retrySlot = false;
    attempt.connect();
  }

  /** A try failed before a response was passed on: record it, then retry or give up. */
  private void failed(Attempt failed, Outcome outcome) {
    failed.end(outcome, false);
    if (done) {
      return;
    }
    lastFailure = outcome;
    if (responseStarted) {
      // Bytes of this response already went to the client: nothing can be fixed or retried.
      abortClient();
      return;
    }
    RetryDecision d = service.retry(outcome, method, replayable(), retries, deadline);
    if (d.retry()) {
      retryAfter(failed.id, d);
    } else {
      giveUp(d.reason());
    }
  }

  private void retryAfter(InstanceId from, RetryDecision decision) {
    retries++;
    retrySlot = true;
    service.metrics.retried(service.name, from, decision.reason());
    backoffTimer = client.executor().schedule(this::tryNext, decision.delayNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** No try is left: answer as the last failure says, or with the fallback. */
  private void giveUp(String reason) {
    log("gave up on {0} {1}: {2}", method, request.uri(), reason);
    FullHttpResponse response;
    if (lastFailure == null || lastFailure.kind() == Outcome.Kind.CONNECT_FAILURE) {
      service.metrics.rejected(service.name, "no-instance");
      response = Responses.fallback(service.spec.fallback(), clientKeepAlive);
    } else if (lastFailure.kind() == Outcome.Kind.RESET) {
      response = Responses.plain(502, "bad gateway: the instance closed the connection",
          clientKeepAlive);
    } else if (lastFailure.kind() == Outcome.Kind.TIMEOUT) {
      response = Responses.plain(504, "gateway timeout", clientKeepAlive);
    } else {
      // A retried 5xx was dropped and no other instance could answer: say what the last said.
      response = Responses.plain(lastFailure.status(), "the instance answered "
          + lastFailure.status(), clientKeepAlive);
    }
    answer(response, response.status().code());
  }

  // ================================================================== the response

  private void onResponseHead(Attempt from, HttpResponse response) {
    from.cancelPerTry();
    if (response.decoderResult().isFailure()) {
      failed(from, Outcome.reset()); // junk is as good as no response
      return;
    }
    Outcome outcome = Outcome.response(response.status().code());
    if (outcome.serverError()) {
      RetryDecision d = service.retry(outcome, method, replayable(), retries, deadline);
      if (d.retry()) {
        from.end(outcome, false);
        lastFailure = outcome;
        retryAfter(from.id, d);
        return;
      }
    }
    service.record(from.id, outcome);
    answeredBy = Optional.of(from.id);
    cancel(deadlineTimer);
    status = response.status().code();
    HopByHop.strip(response);
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
    frame(response);
    if (!clientKeepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    responseStarted = true;
    from.upstreamKeepAlive = HttpUtil.isKeepAlive(response);
    client.write(response);
    from.upstream.read(); // the body may come in later reads
  }

  /**
   * A body without a length ends when the instance closes: send it chunked instead, or, to an
   * HTTP/1.0 client, unframed with a close at the end.
   */
  private void frame(HttpResponse response) {
    int code = response.status().code();
    boolean bodyless = request.method().equals(HttpMethod.HEAD) || code < 200 || code == 204
        || code == 304;
    if (bodyless || HttpUtil.isContentLengthSet(response)) {
      return;
    }
    if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      // HTTP/1.0 has no chunks: the body goes out as it is and the close ends it.
      HttpUtil.setTransferEncodingChunked(response, false);
      clientKeepAlive = false;
    } else {
      HttpUtil.setTransferEncodingChunked(response, true);
    }
  }

  private void onResponseContent(Attempt from, HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    client.writeAndFlush(content).addListener((ChannelFuture f) -> {
      if (!f.isSuccess() || from.ended()) {
        return; // the client left: clientGone() cleans up
      }
      if (last) {
        boolean reuse = from.upstreamKeepAlive && requestSent;
        from.end(null, reuse);
        finish(status, clientKeepAlive && requestComplete);
      } else {
        from.upstream.read(); // back-pressure: the next chunk once this one is written
      }
    });
  }

  // ================================================================== the request body

  /** A chunk of the request body from the frontend. */
  void onRequestContent(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      content.release();
      clientKeepAlive = false;
      if (!responseStarted && !done) {
        cancelTry();
        answer(Responses.plain(400, "bad request body", false), 400);
      }
      return;
    }
    boolean last = content instanceof LastHttpContent;
    if (done) {
      content.release();
      return;
    }
    if (!streamed) {
      body.addComponent(true, content.content().retain());
      content.release();
      if (last) {
        requestComplete = true;
        armDeadline();
        tryNext();
      } else {
        frontend.readMore();
      }
      return;
    }
    if (attempt == null || attempt.upstream == null) {
      content.release(); // cannot happen: a streamed body is read only once a try is connected
      return;
    }
    attempt.upstream.writeAndFlush(content).addListener((ChannelFuture f) -> {
      if (!f.isSuccess() || done) {
        return; // the instance's connection failed: its close reports it
      }
      if (last) {
        requestComplete = true;
        requestSent = true;
        armDeadline(); // Envoy's route timeout starts at the end of the request
      } else {
        frontend.readMore();
      }
    });
  }

  private boolean replayable() {
    return !streamed;
  }

  // ================================================================== endings

  /** Writes a response of the load balancer's own, then finishes. */
  private void answer(FullHttpResponse response, int code) {
    cancelTry();
    // An unread streamed body would have to be read and dropped: close instead.
    boolean keepAlive = clientKeepAlive && (!streamed || requestComplete);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    responseStarted = true;
    client.writeAndFlush(response).addListener(f -> finish(code, keepAlive && f.isSuccess()));
  }

  private void finish(int code, boolean keepAlive) {
    if (done) {
      return;
    }
    done = true;
    release();
    service.metrics.requestFinished(service.name, answeredBy, code, service.now() - startedAt);
    frontend.exchangeDone(keepAlive);
  }

  /** The client connection closed (or must be closed) in the middle of the exchange. */
  void clientGone() {
    if (done) {
      return;
    }
    done = true;
    cancelTry();
    release();
    service.metrics.requestFinished(service.name, Optional.empty(), 499,
        service.now() - startedAt); // nginx's "client closed request"
  }

  private void abortClient() {
    clientGone();
    client.close();
  }

  private void cancelTry() {
    cancel(backoffTimer);
    if (retrySlot) {
      retrySlot = false;
      service.retryAbandoned();
    }
    if (attempt != null && !attempt.ended()) {
      attempt.end(null, false);
    }
  }

  private void release() {
    cancel(deadlineTimer);
    cancel(backoffTimer);
    if (requestSlot) {
      requestSlot = false;
      service.release(Limits.Kind.REQUESTS);
    }
    if (body != null) {
      body.release();
      body = null;
    }
  }

  private void armDeadline() {
    cancel(deadlineTimer);
    deadline = service.now() + service.requestTimeoutNanos;
    deadlineTimer = client.executor().schedule(this::onDeadline, service.requestTimeoutNanos,
        TimeUnit.NANOSECONDS);
  }

  private void onDeadline() {
    if (done || responseStarted) {
      return;
    }
    if (attempt != null && !attempt.ended()) {
      attempt.end(Outcome.timeout(), false);
    }
    lastFailure = Outcome.timeout();
    answer(Responses.plain(504, "gateway timeout", clientKeepAlive), 504);
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void log(String format, Object... args) {
    System.getLogger(Exchange.class.getName()).log(System.Logger.Level.DEBUG,
        service.name + ": " + format, args);
  }

  // ================================================================== one try

  /**
   * One try at one instance: from the pick to the end of its response. Counted in flight from
   * the pick until {@link #end}, which also decides the connection's fate (pooled or closed).
   */
  final class Attempt {
    final InstanceId id;
    private final boolean retry;
    private Channel upstream;
    private HttpBackend backend;
    private ScheduledFuture<?> perTry;
    private boolean responseComplete;
    private boolean pendingSlot;
    private boolean ended;
    private boolean upstreamKeepAlive;

    Attempt(InstanceId id, boolean retry) {
      this.id = id;
      this.retry = retry;
    }

    boolean ended() {
      return ended;
    }

    void connect() {
      Channel idle = service.pool.poll(client.channel().eventLoop(), id);
      if (idle != null) {
        send(idle);
        return;
      }
      if (!service.tryAcquire(Limits.Kind.PENDING)) {
        end(null, false);
        answer(Responses.overloaded(Limits.Kind.PENDING.reason(), clientKeepAlive), 503);
        return;
      }
      pendingSlot = true;
      Endpoint endpoint = service.address(id);
      service.connectHttp(client.channel().eventLoop(), endpoint).addListener((ChannelFuture f) -> {
        releasePending();
        if (ended) {
          f.channel().close();
        } else if (f.isSuccess()) {
          send(f.channel());
        } else {
          log("connect to {0} failed: {1}", endpoint, f.cause().toString());
          failed(this, Outcome.connectFailure());
        }
      });
    }

    private void send(Channel channel) {
      upstream = channel;
      backend = channel.pipeline().get(HttpBackend.class);
      backend.serve(this);
      if (service.perTryTimeoutNanos > 0) {
        perTry = client.executor().schedule(this::onPerTryTimeout, service.perTryTimeoutNanos,
            TimeUnit.NANOSECONDS);
      }
      HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(),
          request.uri(), request.headers().copy());
      if (streamed) {
        channel.writeAndFlush(head);
        frontend.readMore(); // the body flows as the instance takes it
      } else {
        if (body.readableBytes() > 0 || request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
          HttpUtil.setContentLength(head, body.readableBytes());
        }
        channel.write(head);
        channel.writeAndFlush(new DefaultLastHttpContent(body.retainedDuplicate()));
        requestSent = true;
      }
      channel.read();
    }

    void onResponseHead(HttpResponse response) {
      Exchange.this.onResponseHead(this, response);
    }

    void onResponseContent(HttpContent content) {
      if (!responseStarted || ended) {
        content.release();
        return;
      }
      responseComplete |= content instanceof LastHttpContent;
      Exchange.this.onResponseContent(this, content);
    }

    void onUpstreamClosed() {
      // After the whole response arrived a close is just the end of the connection: the write
      // of the last chunk to the client ends the try.
      if (!ended && !responseComplete) {
        failed(this, Outcome.reset());
      }
    }

    private void onPerTryTimeout() {
      if (!ended && !responseStarted) {
        log("per-try timeout at {0}", id);
        failed(this, Outcome.timeout());
      }
    }

    void cancelPerTry() {
      cancel(perTry);
    }

    /**
     * Ends this try once: counts the outcome (null: not the instance's doing), frees its place
     * in flight and its retry slot, and pools the connection if {@code reuse}, else closes it.
     */
    void end(Outcome outcome, boolean reuse) {
      if (ended) {
        return;
      }
      ended = true;
      cancelPerTry();
      releasePending();
      service.finished(id, retry, outcome);
      if (upstream == null) {
        return;
      }
      backend.serve(null);
      if (!reuse || !service.pool.offer(upstream.eventLoop(), id, upstream)) {
        upstream.close();
      }
    }

    private void releasePending() {
      if (pendingSlot) {
        pendingSlot = false;
        service.release(Limits.Kind.PENDING);
      }
    }
  }
}

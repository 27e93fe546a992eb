package io.vigil.lb.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.vigil.instance.InstanceId;
import io.vigil.lb.Limits;
import io.vigil.lb.Outcome;
import io.vigil.lb.RetryDecision;
import io.vigil.lb.TrafficPolicy;
import java.util.Optional;

/**
 * One client request, from its head to the last byte of its response. The request path, in
 * order:
 *
 * <ol>
 *   <li>{@link #start()}: limits (max-requests), then the body is either read whole (it can be
 *       sent again) or streamed (it cannot): {@link ForwardedRequest};
 *   <li>{@link #tryNext()}: pick an instance (balancer over the eligible ones) and try it: an
 *       {@link Attempt} connects or reuses a pooled connection and sends, its per-try timeout
 *       armed;
 *   <li>{@link #failed} or {@link #onResponseHead}: record the outcome (outlier detector,
 *       requests in flight), then retry elsewhere after the back-off if the retry policy allows
 *       ({@link RetryState}), else pass the response on ({@link ResponseRelay}), or answer for
 *       the instance ({@link #giveUp}: fallback, 502, 504);
 *   <li>{@link #finish} hands the client connection back to the frontend.
 * </ol>
 *
 * <p>The request timeout runs from the end of the request (for a streamed body, once it was sent
 * whole) to the response head and covers every try and back-off; then 504. Timeouts are links
 * in the loop's {@link LoopTimer}, not a Netty timer each. Event-loop confined: everything runs
 * on the client connection's loop, connections to instances included.
 */
final class Exchange extends Timeout { // itself the request timeout: nothing more per request
  private final ServiceBalancer service;
  private final HttpFrontend frontend;
  private final ChannelHandlerContext client;
  private final ForwardedRequest request;
  private final RetryState retries;
  private final ResponseRelay relay;
  private final boolean overConnections;
  private final long startedAt;
  /** Made on the first retry only: most requests never wait for a back-off. */
  private Runnable tryNext;
  private StreamedBody streamedBody;
  private boolean requestSlot;
  private boolean responseStarted;
  private boolean clientKeepAlive;
  private boolean done;
  private int status;
  /** When the request times out, on the policy's clock (retries must end before it). */
  private long deadline;
  private Optional<InstanceId> answeredBy = Optional.empty();
  private Attempt attempt;

  Exchange(ServiceBalancer service, HttpFrontend frontend, ChannelHandlerContext client,
      HttpRequest head, boolean overConnections) {
    this.service = service;
    this.frontend = frontend;
    this.client = client;
    this.request = new ForwardedRequest(head, frontend.clientIp());
    this.retries = new RetryState(service);
    this.relay = new ResponseRelay(this, client);
    this.overConnections = overConnections;
    this.startedAt = service.now();
    this.clientKeepAlive = request.keepAlive && !overConnections;
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
    if (request.streamed) {
      tryNext();
    } else {
      frontend.readMore(); // the body (maybe just its empty end), then tryNext()
    }
  }

  /** Picks an instance not tried yet and tries it; answers for the instances if none is left. */
  private void tryNext() {
    retries.backoffOver();
    if (done) {
      return;
    }
    TrafficPolicy.Pick pick = service.pick(retries.tried());
    if (pick.instance().isEmpty()) {
      retries.abandon();
      giveUp(pick.reason());
      return;
    }
    InstanceId id = pick.instance().get();
    attempt = new Attempt(this, service, client.channel().eventLoop(), id, retries.picked(id));
    if (!attempt.connect()) {
      answer(Responses.overloaded(Limits.Kind.PENDING.reason(), clientKeepAlive), 503);
    }
  }

  /** {@code to} has a connection: arm its per-try timeout and send the request. */
  void sending(Attempt to) {
    if (service.perTryTimeoutNanos > 0) {
      frontend.perTryTimeouts().arm(to);
    }
    if (request.streamed) {
      request.sendHead(to.upstream());
      frontend.readMore(); // the body flows as the instance takes it
    } else {
      request.sendWhole(to.upstream());
    }
  }

  /** A try failed before a response was passed on: record it, then retry or give up. */
  void failed(Attempt failed, Outcome outcome) {
    failed.end(outcome, false);
    if (done) {
      return;
    }
    if (responseStarted) {
      // Bytes of this response already went to the client: nothing can be fixed or retried.
      abortClient();
      return;
    }
    RetryDecision d = retries.decide(outcome, request, deadline);
    if (d.retry()) {
      retries.retryAfter(d, failed.id, client.executor(), tryNextTask());
    } else {
      giveUp(d.reason());
    }
  }

  private Runnable tryNextTask() {
    if (tryNext == null) {
      tryNext = this::tryNext;
    }
    return tryNext;
  }

  /** No try is left: answer as the last failure says, or with the fallback. */
  private void giveUp(String reason) {
    System.getLogger(Exchange.class.getName()).log(System.Logger.Level.DEBUG,
        "{0}: gave up on {1} {2}: {3}", service.name, request.method, request.head.uri(), reason);
    Outcome last = retries.lastFailure();
    if (last == null || last.kind() == Outcome.Kind.CONNECT_FAILURE) {
      service.metrics.rejected(service.name, "no-instance");
    }
    FullHttpResponse response = Responses.afterFailure(last, service.spec.fallback(),
        clientKeepAlive);
    answer(response, response.status().code());
  }

  // ================================================================== the response

  void onResponseHead(Attempt from, HttpResponse response) {
    if (response.decoderResult().isFailure()) {
      failed(from, Outcome.reset()); // junk is as good as no response
      return;
    }
    Outcome outcome = Outcome.response(response.status().code());
    if (outcome.serverError()) {
      RetryDecision d = retries.decide(outcome, request, deadline);
      if (d.retry()) {
        from.end(outcome, false);
        retries.retryAfter(d, from.id, client.executor(), tryNextTask());
        return;
      }
    }
    service.record(from.id, outcome);
    answeredBy = Optional.of(from.id);
    cancel();
    status = outcome.status();
    responseStarted = true;
    clientKeepAlive = relay.head(from, response, request, clientKeepAlive);
  }

  void onResponseContent(HttpContent content) {
    relay.content(content);
  }

  boolean responseStarted() {
    return responseStarted;
  }

  /** The last chunk of {@code from}'s response was written to the client. */
  void responseRelayed(Attempt from) {
    from.end(null, from.reusable(request.sent()));
    finish(status, clientKeepAlive && request.complete());
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
    if (done) {
      content.release();
      return;
    }
    if (!request.streamed) {
      if (request.keep(content, client.alloc())) {
        armRequestTimeout();
        tryNext();
      } else {
        frontend.readMore();
      }
      return;
    }
    if (attempt == null || attempt.upstream() == null) {
      content.release(); // cannot happen: a streamed body is read only once a try is connected
      return;
    }
    if (streamedBody == null) {
      streamedBody = new StreamedBody();
    }
    streamedBody.write(content, attempt);
  }

  /** Writes a streamed body to the instance, reading the next chunk once one is written. */
  private final class StreamedBody implements ChannelFutureListener {
    private boolean last;

    void write(HttpContent content, Attempt to) {
      last = content instanceof LastHttpContent;
      to.upstream().writeAndFlush(content).addListener(this);
    }

    @Override
    public void operationComplete(ChannelFuture written) {
      if (!written.isSuccess() || done) {
        return; // the instance's connection failed: its close reports it
      }
      if (last) {
        request.streamedWhole();
        armRequestTimeout(); // Envoy's route timeout starts at the end of the request
      } else {
        frontend.readMore();
      }
    }
  }

  // ================================================================== endings

  /** Writes a response of the load balancer's own, then finishes. */
  private void answer(FullHttpResponse response, int code) {
    cancelTry();
    // An unread streamed body would have to be read and dropped: close instead.
    boolean keepAlive = clientKeepAlive && (!request.streamed || request.complete());
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
    retries.abandon();
    if (attempt != null && !attempt.ended()) {
      attempt.end(null, false);
    }
  }

  private void release() {
    cancel();
    retries.abandon();
    if (requestSlot) {
      requestSlot = false;
      service.release(Limits.Kind.REQUESTS);
    }
    request.release();
  }

  private void armRequestTimeout() {
    deadline = service.now() + service.requestTimeoutNanos;
    frontend.requestTimeouts().arm(this);
  }

  /** The request timeout. */
  @Override
  void expired() {
    if (done || responseStarted) {
      return;
    }
    if (attempt != null && !attempt.ended()) {
      attempt.end(Outcome.timeout(), false);
    }
    answer(Responses.plain(504, "gateway timeout", clientKeepAlive), 504);
  }
}

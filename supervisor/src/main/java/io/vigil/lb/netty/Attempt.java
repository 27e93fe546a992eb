package io.vigil.lb.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.vigil.instance.InstanceId;
import io.vigil.lb.Limits;
import io.vigil.lb.Outcome;

/**
 * One try of an {@link Exchange} at one instance, from the pick to the end of its response:
 * reuses an idle pooled connection to the instance or opens one (holding a max-pending slot while
 * it connects), sends the request, and runs the per-try timeout (it is that timeout) until the
 * response head. Counted in flight from the pick until {@link #end}, which also decides the
 * connection's fate: back to the pool or closed. Runs on the client connection's loop, and so do
 * the connections it opens: no hand-off between threads.
 */
final class Attempt extends Timeout {
  final InstanceId id;
  private final Exchange exchange;
  private final ServiceBalancer service;
  private final EventLoop loop;
  private final boolean retry;
  private Channel upstream;
  private HttpBackend backend;
  private boolean responseComplete;
  private boolean pendingSlot;
  private boolean ended;
  private boolean upstreamKeepAlive;

  Attempt(Exchange exchange, ServiceBalancer service, EventLoop loop, InstanceId id,
      boolean retry) {
    this.exchange = exchange;
    this.service = service;
    this.loop = loop;
    this.id = id;
    this.retry = retry;
  }

  boolean ended() {
    return ended;
  }

  /** Its connection, once it has one (a streamed body is written to it). */
  Channel upstream() {
    return upstream;
  }

  /** False if max-pending refused a new connection: the caller answers 503. */
  boolean connect() {
    Channel idle = service.pool.poll(loop, id);
    if (idle != null) {
      send(idle);
      return true;
    }
    if (!service.tryAcquire(Limits.Kind.PENDING)) {
      end(null, false);
      return false;
    }
    pendingSlot = true;
    Endpoint endpoint = service.address(id);
    service.connectHttp(loop, endpoint).addListener((ChannelFuture f) -> {
      releasePending();
      if (ended) {
        f.channel().close();
      } else if (f.isSuccess()) {
        send(f.channel());
      } else {
        System.getLogger(Attempt.class.getName()).log(System.Logger.Level.DEBUG,
            "{0}: connect to {1} failed: {2}", service.name, endpoint, f.cause().toString());
        exchange.failed(this, Outcome.connectFailure());
      }
    });
    return true;
  }

  private void send(Channel channel) {
    upstream = channel;
    backend = channel.pipeline().get(HttpBackend.class);
    backend.serve(this);
    exchange.sending(this);
    channel.read();
  }

  /** Asks the instance for more of the response. */
  void read() {
    upstream.read();
  }

  void onResponseHead(HttpResponse response) {
    cancel(); // the per-try timeout ends with the head
    upstreamKeepAlive = io.netty.handler.codec.http.HttpUtil.isKeepAlive(response);
    exchange.onResponseHead(this, response);
  }

  void onResponseContent(HttpContent content) {
    if (!exchange.responseStarted() || ended) {
      content.release();
      return;
    }
    responseComplete |= content instanceof LastHttpContent;
    exchange.onResponseContent(content);
  }

  void onUpstreamClosed() {
    // After the whole response arrived a close is just the end of the connection: the write
    // of the last chunk to the client ends the try.
    if (!ended && !responseComplete) {
      exchange.failed(this, Outcome.reset());
    }
  }

  /** The per-try timeout: no response head in time. */
  @Override
  void expired() {
    if (!ended && !exchange.responseStarted()) {
      System.getLogger(Attempt.class.getName()).log(System.Logger.Level.DEBUG,
          "{0}: per-try timeout at {1}", service.name, id);
      exchange.failed(this, Outcome.timeout());
    }
  }

  /** Whether its connection may serve another request once the response is through. */
  boolean reusable(boolean requestSent) {
    return upstreamKeepAlive && requestSent;
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
    cancel();
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

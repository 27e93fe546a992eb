package io.vigil.lb.netty;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.vigil.lb.Limits;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * A client's HTTP/1.1 connection: one {@link Exchange} at a time. With auto-read off and a flow
 * control handler in front, each read delivers one message; the next request is read only after
 * the previous response was written, so pipelined requests are answered in order. A malformed
 * request head is answered 400 (414 for a long request line, 431 for large headers) and the
 * connection closed. Event-loop confined.
 */
final class HttpFrontend extends ChannelInboundHandlerAdapter {
  private final ServiceBalancer service;
  private final HeaderTimeout headerTimeout;
  private final ArrayDeque<Object> early = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private TimeoutQueue requestTimeouts;
  private TimeoutQueue perTryTimeouts;
  private String clientIp;
  private Exchange exchange;
  private boolean connectionSlot;
  private boolean closing;
  private boolean wantRead;

  HttpFrontend(ServiceBalancer service, HeaderTimeout headerTimeout) {
    this.service = service;
    this.headerTimeout = headerTimeout;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress peer) {
      clientIp = peer.getAddress().getHostAddress(); // once per connection, not per request
    }
    LoopTimer timer = service.timers.of(ctx.executor());
    requestTimeouts = timer.queue(service.requestTimeoutNanos);
    perTryTimeouts = service.perTryTimeoutNanos > 0 ? timer.queue(service.perTryTimeoutNanos)
        : null;
    service.clients.add(ctx.channel());
    // Over max-connections the first request is still read, to answer it 503 and close: closing
    // at once could reset the connection before the client reads an answer.
    connectionSlot = service.tryAcquire(Limits.Kind.CONNECTIONS);
    readMore();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    wantRead = false;
    if (exchange != null && msg instanceof HttpRequest) {
      early.add(msg); // cannot happen with one read at a time; kept in order if it does
      return;
    }
    handle(msg);
  }

  private void handle(Object msg) {
    if (msg instanceof HttpRequest request) {
      headerTimeout.headReceived();
      if (request.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        reject(request.decoderResult());
        return;
      }
      exchange = new Exchange(service, this, ctx, request, !connectionSlot);
      exchange.start();
    } else if (msg instanceof HttpContent content) {
      if (exchange != null) {
        exchange.onRequestContent(content);
      } else {
        content.release(); // the rest of a request answered before its body was read
        readMore();
      }
    } else {
      ReferenceCountUtil.release(msg);
      readMore();
    }
  }

  /** The client's IP address, for X-Forwarded-For; null if the channel has none. */
  String clientIp() {
    return clientIp;
  }

  /** This loop's queue for request timeouts: looked up once per connection, not per request. */
  TimeoutQueue requestTimeouts() {
    return requestTimeouts;
  }

  /** This loop's queue for per-try timeouts (none if the service has no per-try timeout). */
  TimeoutQueue perTryTimeouts() {
    return perTryTimeouts;
  }

  /** The exchange wants the next message from the client. */
  void readMore() {
    if (!closing) {
      wantRead = true;
      ctx.read();
    }
  }

  /**
   * A read that delivered no message still counts as done (Netty 4.2's FlowControlHandler resets
   * its outstanding reads on read-complete, as a socket read may bring only part of a message):
   * ask again until the message comes.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (wantRead && !closing) {
      ctx.read();
    }
  }

  /** The exchange's response is written; go on with the next request or close. */
  void exchangeDone(boolean keepAlive) {
    exchange = null;
    if (!keepAlive || !ctx.channel().isActive()) {
      closing = true;
      ctx.close();
      return;
    }
    headerTimeout.awaitNextHead();
    if (!early.isEmpty()) {
      handle(early.poll());
    } else {
      readMore();
    }
  }

  private void reject(DecoderResult result) {
    Throwable cause = result.cause();
    int status = cause instanceof TooLongHttpLineException ? 414
        : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    String text = switch (status) {
      case 414 -> "request line too long";
      case 431 -> "request header fields too large";
      default -> "bad request";
    };
    closing = true;
    service.metrics.requestStarted(service.name);
    service.metrics.requestFinished(service.name, Optional.empty(), status, 0);
    ctx.writeAndFlush(Responses.plain(status, text, false))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ctx.close(); // idle-timeout: no bytes either way, between requests or during one
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    if (exchange != null) {
      exchange.clientGone();
      exchange = null;
    }
    early.forEach(ReferenceCountUtil::release);
    early.clear();
    if (connectionSlot) {
      connectionSlot = false;
      service.release(Limits.Kind.CONNECTIONS);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    System.getLogger(HttpFrontend.class.getName()).log(System.Logger.Level.DEBUG,
        "client connection {0} failed: {1}", ctx.channel(), cause.toString());
    ctx.close();
  }
}

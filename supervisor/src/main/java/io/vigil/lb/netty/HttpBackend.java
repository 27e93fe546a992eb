package io.vigil.lb.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.vigil.instance.InstanceId;

/**
 * The end of a connection to an instance: hands the response to the try it is serving, or, while
 * the connection sits idle in the pool, closes it on idle timeout and forgets it when the
 * instance closes it. Event-loop confined (the loop of the client connection that opened it).
 */
final class HttpBackend extends ChannelInboundHandlerAdapter {
  private final ServiceBalancer service;
  private final InstanceId instance;
  private Attempt attempt;

  HttpBackend(ServiceBalancer service, InstanceId instance) {
    this.service = service;
    this.instance = instance;
  }

  /** From now on the connection serves {@code attempt}; null: back in the pool. */
  void serve(Attempt attempt) {
    this.attempt = attempt;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Attempt serving = attempt;
    if (serving == null || serving.ended()) {
      // A response to a try already given up (retried elsewhere, timed out): nobody wants it.
      ReferenceCountUtil.release(msg);
      if (serving == null) {
        ctx.close(); // an idle connection must not speak: its framing can't be trusted
      }
      return;
    }
    if (msg instanceof HttpResponse response) {
      serving.onResponseHead(response);
    }
    if (msg instanceof HttpContent content) {
      serving.onResponseContent(content);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (attempt != null) {
      attempt.onUpstreamClosed();
    } else {
      service.pool.remove(ctx.channel().eventLoop(), instance, ctx.channel());
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent && attempt == null) {
      ctx.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and the like: the close that follows tells the try (channelInactive).
    System.getLogger(HttpBackend.class.getName()).log(System.Logger.Level.DEBUG,
        "connection to {0} failed: {1}", instance, cause.toString());
    ctx.close();
  }
}

package io.vigil.lb.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection that starts a request head and does not finish it within the
 * header timeout (slowloris, HAProxy's {@code timeout http-request}). Sits before the HTTP
 * decoder, so it sees the first raw bytes of each request; the frontend tells it when a whole head
 * was decoded and when it waits for the next one. Event-loop confined.
 */
final class HeaderTimeout extends ChannelInboundHandlerAdapter {
  private final long timeoutNanos;
  private ChannelHandlerContext ctx;
  private boolean waiting = true;
  private ScheduledFuture<?> timer;

  HeaderTimeout(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (waiting && timer == null && msg instanceof ByteBuf buf && buf.isReadable()) {
      timer = ctx.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
    }
    ctx.fireChannelRead(msg);
  }

  /** A whole request head arrived: no timeout until {@link #awaitNextHead()}. */
  void headReceived() {
    waiting = false;
    cancel();
  }

  /** The previous exchange is over; the next request's first byte starts the clock. */
  void awaitNextHead() {
    waiting = true;
    cancel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  private void expire() {
    timer = null;
    if (waiting) {
      System.getLogger(HeaderTimeout.class.getName()).log(System.Logger.Level.DEBUG,
          "closing {0}: request head incomplete after the header timeout", ctx.channel());
      ctx.close();
    }
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}

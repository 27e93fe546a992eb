package io.vigil.lb.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Closes a client connection that starts a request head and does not finish it within the
 * header timeout (slowloris, HAProxy's {@code timeout http-request}). Sits before the HTTP
 * decoder, so it sees the first raw bytes of each request; the frontend tells it when a whole head
 * was decoded and when it waits for the next one. The clock starts for every request, so it is a link
 * in the loop's {@link LoopTimer}, not a Netty timer of its own. Event-loop confined.
 */
final class HeaderTimeout extends ChannelInboundHandlerAdapter {
  private final long timeoutNanos;
  private final LoopTimers timers;
  private final Timeout timer = Timeout.of(this::expire);
  private ChannelHandlerContext ctx;
  private TimeoutQueue queue;
  private boolean waiting = true;

  HeaderTimeout(long timeoutNanos, LoopTimers timers) {
    this.timeoutNanos = timeoutNanos;
    this.timers = timers;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    queue = timers.of(ctx.executor()).queue(timeoutNanos);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (waiting && !timer.armed() && msg instanceof ByteBuf buf && buf.isReadable()) {
      queue.arm(timer);
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

  /** Armed only while waiting for a head, and cancelled when one arrives. */
  private void expire() {
    System.getLogger(HeaderTimeout.class.getName()).log(System.Logger.Level.DEBUG,
        "closing {0}: request head incomplete after the header timeout", ctx.channel());
    ctx.close();
  }

  private void cancel() {
    timer.cancel();
  }
}

package io.vigil.lb.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Tells the handlers after it that a connection saw no read and no flush for its idle timeout
 * (an {@link IdleStateEvent}, again after each further idle period), as Netty's
 * IdleStateHandler does with all-idle. It differs in cost: instead of a listener on every write's
 * promise, each read batch and each flush re-arms a {@link Timeout} on the loop's timer, O(1)
 * and without allocation, and writes may use the void promise. Event-loop confined.
 */
final class IdleTimeout extends ChannelDuplexHandler {
  private final long idleNanos;
  private final LoopTimers timers;
  private final Timeout timeout = Timeout.of(this::idle);
  private ChannelHandlerContext ctx;
  private TimeoutQueue queue;
  private boolean first = true;

  IdleTimeout(long idleNanos, LoopTimers timers) {
    this.idleNanos = idleNanos;
    this.timers = timers;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    queue = timers.of(ctx.executor()).queue(idleNanos);
    if (ctx.channel().isActive()) {
      queue.arm(timeout);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    queue.arm(timeout);
    ctx.fireChannelActive();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    busy();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    busy();
    ctx.flush();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    timeout.cancel();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    timeout.cancel();
  }

  private void busy() {
    first = true;
    if (ctx.channel().isActive()) {
      queue.arm(timeout);
    }
  }

  private void idle() {
    if (!ctx.channel().isActive()) {
      return;
    }
    queue.arm(timeout); // as IdleStateHandler: told again after each further idle period
    ctx.fireUserEventTriggered(first ? IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT
        : IdleStateEvent.ALL_IDLE_STATE_EVENT);
    first = false;
  }
}

package io.vigil.probe.check;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.vigil.probe.CheckOutcome;
import java.util.concurrent.CompletableFuture;

/**
 * Turns the first HTTP response head into an outcome and closes the connection: the body is
 * never read, so a probe endpoint that streams megabytes costs one read buffer. Body chunks that
 * arrive before the close are released by {@link SimpleChannelInboundHandler}. One per connection;
 * runs on the channel's event loop.
 */
final class StatusHandler extends SimpleChannelInboundHandler<HttpObject> {
  static final String CLOSED_EARLY = "connection closed before response";

  private final CompletableFuture<CheckOutcome> result;

  StatusHandler(CompletableFuture<CheckOutcome> result) {
    this.result = result;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
    if (message instanceof HttpResponse response) {
      result.complete(outcomeOf(response));
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // No-op when the response already completed the future; otherwise the peer hung up on us.
    result.complete(CheckOutcome.failure(CLOSED_EARLY));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (Detail.isTargetFault(cause)) {
      result.complete(CheckOutcome.failure("read: " + Detail.reason(cause)));
    } else {
      result.completeExceptionally(cause);
    }
    ctx.close();
  }

  /** 200 <= status < 400 is success, as for the kubelet; redirects are not followed. */
  static CheckOutcome outcomeOf(HttpResponse response) {
    if (response.decoderResult().isFailure()) {
      return CheckOutcome.failure(
          "bad HTTP response: " + Detail.reason(response.decoderResult().cause()));
    }
    int status = response.status().code();
    String detail = "HTTP " + status;
    return status >= 200 && status < 400
        ? CheckOutcome.success(detail)
        : CheckOutcome.failure(detail);
  }
}

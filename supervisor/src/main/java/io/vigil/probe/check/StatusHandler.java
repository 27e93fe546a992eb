package io.vigil.probe.check;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.vigil.probe.CheckOutcome;

/**
 * Hands one connection's HTTP responses, its close and its read errors to the check that is
 * using the connection ({@link #bind}). Between checks, while the connection waits in the pool,
 * nothing is expected: bytes nobody asked for close it. Every message is released here, after
 * the listener has seen it. One per connection; runs on the channel's event loop.
 */
final class StatusHandler extends ChannelInboundHandlerAdapter {
  static final String CLOSED_EARLY = "connection closed before response";

  // The outcomes of the status codes RFC 9110 (section 15) defines classes for, built once: a
  // check per response would otherwise build "HTTP 200" anew. Others are built when they come.
  private static final int FIRST_STANDARD = 100;
  private static final int LAST_STANDARD = 599;
  private static final CheckOutcome[] BY_STATUS = standardOutcomes();

  /** The check using the connection. Called on the event loop. */
  interface Listener {
    void onResponse(HttpResponse head);

    /** Part of the body; the last part is a {@link io.netty.handler.codec.http.LastHttpContent}. */
    void onContent(HttpContent part);

    void onClosed();

    void onReadFault(Throwable cause);
  }

  private Listener listener;

  void bind(Listener check) {
    listener = check;
  }

  void unbind() {
    listener = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    try {
      Listener check = listener;
      if (check == null) {
        ctx.close(); // an idle connection that talks is in a state we cannot trust
        return;
      }
      // The decoder's stand-in for an undecodable response is both a head and the last content.
      if (message instanceof HttpResponse head) {
        check.onResponse(head);
      }
      if (message instanceof HttpContent part) {
        check.onContent(part);
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Listener check = listener;
    if (check != null) {
      check.onClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Listener check = listener;
    if (check != null) {
      check.onReadFault(cause);
    }
    ctx.close();
  }

  /** 200 <= status < 400 is success, as for the kubelet; redirects are not followed. */
  static CheckOutcome outcomeOf(HttpResponse response) {
    if (response.decoderResult().isFailure()) {
      return CheckOutcome.failure(
          "bad HTTP response: " + Detail.reason(response.decoderResult().cause()));
    }
    return outcomeOf(response.status().code());
  }

  /** The outcome of a status code; the same instance every time for the standard ones. */
  static CheckOutcome outcomeOf(int status) {
    return status >= FIRST_STANDARD && status <= LAST_STANDARD
        ? BY_STATUS[status - FIRST_STANDARD]
        : newOutcome(status);
  }

  private static CheckOutcome[] standardOutcomes() {
    CheckOutcome[] outcomes = new CheckOutcome[LAST_STANDARD - FIRST_STANDARD + 1];
    for (int status = FIRST_STANDARD; status <= LAST_STANDARD; status++) {
      outcomes[status - FIRST_STANDARD] = newOutcome(status);
    }
    return outcomes;
  }

  private static CheckOutcome newOutcome(int status) {
    String detail = "HTTP " + status;
    return status >= 200 && status < 400
        ? CheckOutcome.success(detail)
        : CheckOutcome.failure(detail);
  }
}

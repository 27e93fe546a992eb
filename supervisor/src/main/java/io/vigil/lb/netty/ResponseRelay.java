package io.vigil.lb.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Passes an instance's response on to the client: the head made fit for the client's
 * connection (hop-by-hop headers out, framing redone, {@code Connection} as the client's
 * keep-alive needs), then the body chunk by chunk, each read from the instance only after the
 * previous one was written (back-pressure: no whole response is buffered). It is its own write
 * listener, so a chunk costs no callback object. Event-loop confined.
 */
final class ResponseRelay implements ChannelFutureListener {
  private final Exchange exchange;
  private final ChannelHandlerContext client;
  private Attempt from;
  private boolean lastPending;

  ResponseRelay(Exchange exchange, ChannelHandlerContext client) {
    this.exchange = exchange;
    this.client = client;
  }

  /**
   * Writes the head of {@code from}'s response (not flushed: its first chunk follows) and asks
   * for the body. Returns whether the client connection may stay open after it: a body without a
   * length to an HTTP/1.0 client is ended by the close.
   */
  boolean head(Attempt from, HttpResponse response, ForwardedRequest request, boolean keepAlive) {
    this.from = from;
    HopByHop.strip(response);
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
    keepAlive &= frame(response, request);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (request.http10) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    client.write(response, client.voidPromise()); // its body's write is the one to wait for
    from.read(); // the body may come in later reads
    return keepAlive;
  }

  /**
   * A body without a length ends when the instance closes: send it chunked instead, or, to an
   * HTTP/1.0 client, unframed (false: then the close must end it).
   */
  private static boolean frame(HttpResponse response, ForwardedRequest request) {
    int code = response.status().code();
    boolean bodyless = request.isHead() || code < 200 || code == 204 || code == 304;
    if (bodyless || HttpUtil.isContentLengthSet(response)) {
      return true;
    }
    // HTTP/1.0 has no chunks: the body goes out as it is and the close ends it.
    HttpUtil.setTransferEncodingChunked(response, !request.http10);
    return !request.http10;
  }

  /** A chunk of the body; the next is read once it is written. */
  void content(HttpContent content) {
    lastPending = content instanceof LastHttpContent;
    client.writeAndFlush(content).addListener(this);
  }

  @Override
  public void operationComplete(ChannelFuture written) {
    if (!written.isSuccess() || from.ended()) {
      return; // the client left: its close cleans up
    }
    if (lastPending) {
      exchange.responseRelayed(from);
    } else {
      from.read(); // back-pressure: the next chunk once this one is written
    }
  }
}

package io.vigil.lb.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A client's request as the instances get it. The head is made fit once (hop-by-hop headers
 * out, X-Forwarded-* in, HTTP/1.1) and the same object goes out on every try: Netty's encoder
 * only reads it, so no copy per try is needed (issue 4 measured that copy on the hot path). A
 * body of at most {@link #REPLAY_LIMIT} is kept whole, so that any try can send it again; a
 * larger or chunked one is streamed to the first instance and cannot be retried. Event-loop
 * confined.
 */
final class ForwardedRequest {
  /** Bodies up to this size are kept in memory so that a failed try can send them again. */
  static final int REPLAY_LIMIT = 64 * 1024;

  final HttpRequest head;
  final String method;
  final boolean streamed;
  /** An HTTP/1.0 client: keep-alive only if asked for, and no chunks in its response. */
  final boolean http10;
  final boolean keepAlive;
  private final boolean hadLength;
  private ByteBuf body;
  private boolean complete;
  private boolean sent;

  /** @param clientIp the client's address for X-Forwarded-For; null if it has none (a test) */
  ForwardedRequest(HttpRequest request, String clientIp) {
    this.head = request;
    this.method = request.method().name();
    this.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    this.keepAlive = HttpUtil.isKeepAlive(request);
    long length = HttpUtil.getContentLength(request, -1L);
    this.hadLength = length >= 0;
    this.streamed = HttpUtil.isTransferEncodingChunked(request) || length > REPLAY_LIMIT;
    HopByHop.strip(request);
    if (clientIp != null) {
      String forwarded = request.headers().get("X-Forwarded-For");
      request.headers().set("X-Forwarded-For",
          forwarded == null ? clientIp : forwarded + ", " + clientIp);
    }
    request.headers().set("X-Forwarded-Proto", "http");
    request.setProtocolVersion(HttpVersion.HTTP_1_1);
  }

  boolean isHead() {
    return head.method().equals(HttpMethod.HEAD);
  }

  /** Kept bodies only: a failed try may send it again. */
  boolean replayable() {
    return !streamed;
  }

  /** The client sent the whole request (for a kept body: it is all here). */
  boolean complete() {
    return complete;
  }

  /** The whole request went to an instance, so its connection may be reused after the answer. */
  boolean sent() {
    return sent;
  }

  /**
   * Keeps a chunk of a kept body (takes over {@code content}); true when it was the last. Most
   * bodies come in one chunk, which is kept as it is: no composite buffer then.
   */
  boolean keep(HttpContent content, ByteBufAllocator alloc) {
    ByteBuf chunk = content.content().retain();
    content.release();
    if (body == null) {
      body = chunk;
    } else {
      CompositeByteBuf all = body instanceof CompositeByteBuf c ? c
          : alloc.compositeBuffer().addComponent(true, body);
      body = all.addComponent(true, chunk);
    }
    if (content instanceof LastHttpContent) {
      complete = true;
      if (body.isReadable() || hadLength) {
        HttpUtil.setContentLength(head, body.readableBytes());
      }
      return true;
    }
    return false;
  }

  /**
   * Sends the head and the kept body to an instance, with one flush. Nothing waits for these
   * writes (void promise: no promise object); a failed write closes the connection, and the try
   * learns of it from the close.
   */
  void sendWhole(Channel upstream) {
    upstream.write(head, upstream.voidPromise());
    upstream.writeAndFlush(body == null || !body.isReadable() ? LastHttpContent.EMPTY_LAST_CONTENT
        : new DefaultLastHttpContent(body.retainedDuplicate()), upstream.voidPromise());
    sent = true;
  }

  /** Sends the head of a streamed request; its body follows as the client sends it. */
  void sendHead(Channel upstream) {
    upstream.writeAndFlush(head, upstream.voidPromise());
  }

  /** The last chunk of a streamed body was written to the instance. */
  void streamedWhole() {
    complete = true;
    sent = true;
  }

  void release() {
    if (body != null) {
      body.release();
      body = null;
    }
  }
}

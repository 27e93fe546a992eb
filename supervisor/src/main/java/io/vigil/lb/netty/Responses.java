package io.vigil.lb.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vigil.lb.FallbackSpec;
import io.vigil.lb.Outcome;
import java.nio.charset.StandardCharsets;

/** The responses the load balancer writes itself. Each is a fresh message: write it once. */
final class Responses {
  private static final String TEXT = "text/plain; charset=utf-8";

  private Responses() {}

  /** The configured answer when no instance can take the request. */
  static FullHttpResponse fallback(FallbackSpec spec, boolean keepAlive) {
    return response(spec.status(), spec.contentType(), spec.body(), keepAlive);
  }

  /**
   * The answer when no try is left: the fallback if no instance could be reached ({@code last}
   * null: none was tried), 502 after a reset, 504 after a timeout, else the status of the last
   * response, which was retried and dropped.
   */
  static FullHttpResponse afterFailure(Outcome last, FallbackSpec fallback, boolean keepAlive) {
    if (last == null || last.kind() == Outcome.Kind.CONNECT_FAILURE) {
      return fallback(fallback, keepAlive);
    }
    return switch (last.kind()) {
      case RESET -> plain(502, "bad gateway: the instance closed the connection", keepAlive);
      case TIMEOUT -> plain(504, "gateway timeout", keepAlive);
      default -> plain(last.status(), "the instance answered " + last.status(), keepAlive);
    };
  }

  /** 503 at once when a limit is reached: come back in a second (there is no queue). */
  static FullHttpResponse overloaded(String limit, boolean keepAlive) {
    FullHttpResponse r = response(503, TEXT, "over " + limit + ", try again\n", keepAlive);
    r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
    return r;
  }

  /** A plain-text answer, such as 504 for a timeout or 400 for a malformed request. */
  static FullHttpResponse plain(int status, String text, boolean keepAlive) {
    return response(status, TEXT, text + "\n", keepAlive);
  }

  static FullHttpResponse response(int status, String type, String body, boolean keepAlive) {
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    if (!keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return r;
  }
}

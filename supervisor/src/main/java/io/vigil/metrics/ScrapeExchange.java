package io.vigil.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * One scrape request as the Prometheus client's {@code PrometheusScrapeHandler} sees it, over
 * Netty: the handler reads the request (path, {@code name[]} and {@code debug} parameters, Accept
 * and Accept-Encoding) and writes its answer into a buffer, which {@link #respond} sends as one
 * response when the handler has returned. Used on the metrics event loop only.
 */
final class ScrapeExchange implements PrometheusHttpExchange {
  private static final Logger LOG = System.getLogger(ScrapeExchange.class.getName());

  private final ChannelHandlerContext ctx;
  private final FullHttpRequest request;
  private final QueryStringDecoder uri;
  private final HttpHeaders headers = new DefaultHttpHeaders();
  private ByteBuf body;
  private HttpResponseStatus status;

  ScrapeExchange(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
    this.ctx = ctx;
    this.request = request;
    this.uri = uri;
  }

  @Override
  public PrometheusHttpRequest getRequest() {
    return new PrometheusHttpRequest() {
      @Override
      public String getQueryString() {
        String raw = uri.rawQuery();
        return raw.isEmpty() ? null : raw;
      }

      @Override
      public Enumeration<String> getHeaders(String name) {
        return Collections.enumeration(request.headers().getAll(name));
      }

      @Override
      public String getMethod() {
        return request.method().name();
      }

      @Override
      public String getRequestPath() {
        return uri.path();
      }

      @Override
      public String[] getParameterValues(String name) {
        List<String> values = uri.parameters().get(name);
        return values == null ? null : values.toArray(String[]::new);
      }
    };
  }

  @Override
  public PrometheusHttpResponse getResponse() {
    return new PrometheusHttpResponse() {
      @Override
      public void setHeader(String name, String value) {
        headers.set(name, value);
      }

      @Override
      public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
        status = HttpResponseStatus.valueOf(statusCode);
        if (body == null) {
          // On the heap, not from Netty's pool: a ~1 MB answer every 15 s would keep a pool
          // chunk of direct memory resident for good.
          body = Unpooled.buffer(Math.max(contentLength, 256));
        }
        // HEAD (contentLength -1): whatever is written is dropped, the headers stay.
        return new ByteBufOutputStream(body);
      }
    };
  }

  @Override
  public void handleException(IOException e) {
    fail(e);
  }

  @Override
  public void handleException(RuntimeException e) {
    fail(e);
  }

  /** A scrape that failed is our bug or a collector's: logged in full, answered in one line. */
  private void fail(Exception e) {
    LOG.log(Level.ERROR, "scrape of " + uri.uri() + " failed", e);
    if (body != null) {
      body.clear();
    }
    headers.clear();
    status = null;
  }

  /** Nothing to do: the scrape handler calls this in its finally, even when it failed. */
  @Override
  public void close() {}

  /**
   * Sends the response once the scrape handler has returned: what it wrote, or a 500 if it wrote
   * nothing or failed.
   */
  void respond() {
    FullHttpResponse response;
    if (status == null) {
      abandonBody();
      response = text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "scrape failed; see Vigil's log\n");
    } else {
      boolean head = HttpMethod.HEAD.equals(request.method());
      int length = body == null ? 0 : body.readableBytes();
      ByteBuf content = Unpooled.EMPTY_BUFFER;
      if (head) {
        abandonBody();
      } else if (body != null) {
        content = body; // the response owns it now
        body = null;
      }
      response = new DefaultFullHttpResponse(request.protocolVersion(), status, content);
      response.headers().set(headers);
      // HEAD: the length a GET would have had (the handler sets it only when not compressing).
      if (!head || !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
        HttpUtil.setContentLength(response, length);
      }
    }
    send(ctx, request, response);
  }

  /**
   * The scrape handler threw an {@link Error} (it catches the rest): no half-written 200, the
   * connection is closed instead.
   */
  void abandon() {
    abandonBody();
    ctx.close();
  }

  private void abandonBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }

  /** A plain-text response. */
  static FullHttpResponse text(HttpResponseStatus status, String message) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    HttpUtil.setContentLength(response, response.content().readableBytes());
    return response;
  }

  /** Writes {@code response}, keeping the connection open iff the request allows it. */
  static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
    send(ctx, response, HttpUtil.isKeepAlive(request));
  }

  /** Writes {@code response}, then closes the connection unless {@code keepAlive}. */
  static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }
}

package io.vigil.metrics;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * {@code GET /metrics} (and HEAD) answered by the Prometheus client's scrape handler; any other
 * path is 404, any other method 405, a request Netty could not decode 400. The scrape runs on the
 * metrics event loop itself: that loop serves nothing else, and a scrape is tens of milliseconds
 * (at most the 2 s it waits for a stuck control loop, so two scrapers at once are answered one
 * after the other).
 */
final class ScrapeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String PATH = "/metrics";
  private static final Logger LOG = System.getLogger(ScrapeHandler.class.getName());

  private final PrometheusScrapeHandler scrapes;

  ScrapeHandler(PrometheusScrapeHandler scrapes) {
    this.scrapes = scrapes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request)
      throws IOException {
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path = request.decoderResult().isSuccess() ? path(uri) : null;
    if (path == null) {
      // After a request it could not read, the decoder discards the rest of the stream.
      ScrapeExchange.send(ctx, ScrapeExchange.text(HttpResponseStatus.BAD_REQUEST,
          "bad request\n"), false);
    } else if (!path.equals(PATH)) {
      reply(ctx, request, HttpResponseStatus.NOT_FOUND, "not found; metrics are at " + PATH + "\n");
    } else if (!HttpMethod.GET.equals(request.method())
        && !HttpMethod.HEAD.equals(request.method())) {
      FullHttpResponse response = ScrapeExchange.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
          "only GET and HEAD\n");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      ScrapeExchange.send(ctx, request, response);
    } else {
      scrape(ctx, request, uri);
    }
  }

  /** The client's handler catches and reports its own exceptions; an Error gets no answer. */
  private void scrape(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri)
      throws IOException {
    ScrapeExchange exchange = new ScrapeExchange(ctx, request, uri);
    try {
      scrapes.handleRequest(exchange);
    } catch (Throwable notHandled) {
      exchange.abandon();
      throw notHandled;
    }
    exchange.respond();
  }

  /** The decoded path, or null for a bad percent-escape such as "/%zz". */
  private static String path(QueryStringDecoder uri) {
    try {
      return uri.path();
    } catch (IllegalArgumentException badEscape) {
      return null;
    }
  }

  private static void reply(ChannelHandlerContext ctx, FullHttpRequest request,
      HttpResponseStatus status, String message) {
    ScrapeExchange.send(ctx, request, ScrapeExchange.text(status, message));
  }

  /** A connection idle for the whole idle timeout is closed: scrapers reconnect. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      ctx.close();
    } else {
      super.userEventTriggered(ctx, event);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A scraper that hung up mid-response, or a reset: nothing to answer, nobody to tell.
    LOG.log(Level.DEBUG, "metrics connection closed after an error", cause);
    ctx.close();
  }
}

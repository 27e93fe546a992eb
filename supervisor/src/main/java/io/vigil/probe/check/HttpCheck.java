package io.vigil.probe.check;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * An HTTP check, as the kubelet's httpGet probe: {@code GET path}, success iff 200 <= status <
 * 400, redirects not followed; the connect and the whole exchange are bounded by the timeout,
 * timed on the event loop itself. Unlike the kubelet, by default ({@code keep-alive = true}) the
 * connection is kept alive and reused by the next check of the same endpoint, as Envoy's HTTP
 * health checker does: see {@link HttpExchange} and {@link IdleConnections}. With {@code
 * keep-alive = false} every check opens a new connection and asks for {@code Connection: close},
 * as the kubelet does.
 *
 * <p>Everything but building the request happens on the probe event loop, including creating
 * and connecting the socket. Thread-safe.
 */
final class HttpCheck {
  static final String USER_AGENT = "vigil-probe/1";

  private final ProbeLoop probeLoop;
  private final IdleConnections idle;

  HttpCheck(ProbeLoop probeLoop) {
    this.probeLoop = probeLoop;
    this.idle = new IdleConnections(probeLoop.loop());
  }

  CompletableFuture<CheckOutcome> check(CheckSpec.Http spec, CheckTarget target, Duration timeout) {
    OptionalInt port = target.portFor(spec.port());
    if (port.isEmpty()) {
      return CompletableFuture.completedFuture(CheckOutcome.failure(Detail.NO_PORT));
    }
    CompletableFuture<CheckOutcome> result = new CompletableFuture<>();
    FullHttpRequest request = request(spec, target.host(), port.getAsInt());
    // A configured "Connection: close" ends the connection from our side too (RFC 9112 9.6).
    boolean keepAlive = spec.keepAlive() && HttpUtil.isKeepAlive(request);
    HttpExchange exchange = new HttpExchange(
        new Endpoint(target.host(), port.getAsInt(), target.process()),
        request, keepAlive, timeout, probeLoop.loop(), idle, this::connect, result);
    probeLoop.execute(result, exchange::start);
    probeLoop.failIfClosed(result);
    return result;
  }

  /** On the probe loop: a new connection whose responses go to {@code handler}. */
  private ChannelFuture connect(Endpoint endpoint, StatusHandler handler, Duration timeout) {
    return probeLoop
        .bootstrap(timeout)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel channel) {
            channel.pipeline().addLast(new HttpClientCodec(), handler);
          }
        })
        .connect(endpoint.host(), endpoint.port());
  }

  /**
   * The probe request; configured headers override the defaults, as in the kubelet (a configured
   * {@code Connection: close} makes the server close, and {@link #check} does not reuse it). It
   * has no body (EMPTY_BUFFER is not reference-counted), so an unsent request needs no release.
   */
  static FullHttpRequest request(CheckSpec.Http spec, String host, int port) {
    String path = spec.path().isEmpty() ? "/" : spec.path();
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
    HttpHeaders headers = request.headers();
    headers.set(HttpHeaderNames.HOST, hostHeader(host, port));
    headers.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
    // HTTP/1.1 keeps connections alive by default (RFC 9112 section 9.3); saying so also asks
    // HTTP/1.0 servers to. Without keep-alive, "close" as the kubelet's prober sends it
    // (pkg/probe/http: DisableKeepAlives).
    headers.set(HttpHeaderNames.CONNECTION,
        spec.keepAlive() ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    for (Map.Entry<String, String> header : spec.headers().entrySet()) {
      headers.set(header.getKey(), header.getValue());
    }
    return request;
  }

  private static String hostHeader(String host, int port) {
    // RFC 7230 section 5.4: an IPv6 literal in Host is bracketed.
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}

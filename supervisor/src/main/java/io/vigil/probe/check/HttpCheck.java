package io.vigil.probe.check;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP check, as the kubelet's httpGet probe: a new connection per check, {@code GET path} with
 * {@code Connection: close}, success iff 200 <= status < 400, redirects not followed. Both the
 * connect and the whole exchange are bounded by the timeout, timed on the event loop itself.
 * Thread-safe.
 */
final class HttpCheck {
  static final String USER_AGENT = "vigil-probe/1";

  private final ProbeLoop probeLoop;

  HttpCheck(ProbeLoop probeLoop) {
    this.probeLoop = probeLoop;
  }

  CompletableFuture<CheckOutcome> check(CheckSpec.Http spec, CheckTarget target, Duration timeout) {
    OptionalInt port = target.portFor(spec.port());
    if (port.isEmpty()) {
      return CompletableFuture.completedFuture(CheckOutcome.failure(Detail.NO_PORT));
    }
    CompletableFuture<CheckOutcome> result = new CompletableFuture<>();
    FullHttpRequest request = request(spec, target.host(), port.getAsInt());
    ChannelFuture connect =
        probeLoop
            .bootstrap(timeout)
            .handler(pipeline(result))
            .connect(target.host(), port.getAsInt());
    connect.addListener((ChannelFuture done) -> send(done, request, result, timeout));
    var timer =
        probeLoop
            .loop()
            .schedule(
                () -> result.complete(CheckOutcome.failure(Detail.timedOut(timeout))),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
    // The one cleanup path, whoever completes the future: response, fault, timer or the caller.
    result.whenComplete(
        (outcome, error) -> {
          timer.cancel(false);
          connect.channel().close();
        });
    probeLoop.failIfClosed(result);
    return result;
  }

  private static ChannelInitializer<Channel> pipeline(CompletableFuture<CheckOutcome> result) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel channel) {
        channel.pipeline().addLast(new HttpClientCodec(), new StatusHandler(result));
      }
    };
  }

  private static void send(
      ChannelFuture connect,
      FullHttpRequest request,
      CompletableFuture<CheckOutcome> result,
      Duration timeout) {
    if (!connect.isSuccess()) {
      failConnect(connect.cause(), result, timeout);
      return;
    }
    connect
        .channel()
        .writeAndFlush(request)
        .addListener(
            (ChannelFuture written) -> {
              if (!written.isSuccess() && Detail.isTargetFault(written.cause())) {
                result.complete(CheckOutcome.failure("send: " + Detail.reason(written.cause())));
              } else if (!written.isSuccess()) {
                result.completeExceptionally(written.cause());
              }
            });
  }

  private static void failConnect(
      Throwable cause, CompletableFuture<CheckOutcome> result, Duration timeout) {
    if (Detail.isTargetFault(cause)) {
      result.complete(CheckOutcome.failure(Detail.connectFailure(cause, timeout)));
    } else {
      result.completeExceptionally(cause);
    }
  }

  /**
   * The probe request; configured headers override the defaults, as in the kubelet. It has no body
   * (EMPTY_BUFFER is not reference-counted), so an unsent request needs no release.
   */
  static FullHttpRequest request(CheckSpec.Http spec, String host, int port) {
    String path = spec.path().isEmpty() ? "/" : spec.path();
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
    HttpHeaders headers = request.headers();
    headers.set(HttpHeaderNames.HOST, hostHeader(host, port));
    headers.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
    // Keep-alive off, as the kubelet's prober does (pkg/probe/http: DisableKeepAlives): a pooled
    // connection would hide a listener that no longer accepts, and idle pools cost file handles.
    headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
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

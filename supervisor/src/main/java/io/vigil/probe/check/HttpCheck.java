package io.vigil.probe.check;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import java.time.Duration;
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
 * <p>The caller's thread only hands the check to the probe event loop; everything else happens
 * there: the request is looked up in {@link EncodedRequests} (encoded once per target), and the
 * socket is created, connected, written and read. Thread-safe.
 */
final class HttpCheck {
  /**
   * Netty's defaults, header validation included: a response with a malformed header line is a
   * "bad HTTP response", a failure, as the kubelet's Go client refuses it. Read-only once built:
   * each decoder copies what it needs.
   */
  private static final HttpDecoderConfig DECODER = new HttpDecoderConfig();

  private final ProbeLoop probeLoop;
  private final IdleConnections idle;
  private final EncodedRequests requests = new EncodedRequests();
  private final HttpExchange.Connector connector = this::connect;

  HttpCheck(ProbeLoop probeLoop) {
    this.probeLoop = probeLoop;
    this.idle = new IdleConnections(probeLoop.loop());
    probeLoop.onClose(requests::clear);
  }

  CompletableFuture<CheckOutcome> check(CheckSpec.Http spec, CheckTarget target, Duration timeout) {
    OptionalInt port = target.portFor(spec.port());
    if (port.isEmpty()) {
      return CompletableFuture.completedFuture(CheckOutcome.failure(Detail.NO_PORT));
    }
    CompletableFuture<CheckOutcome> result = new CompletableFuture<>();
    Endpoint endpoint = new Endpoint(target.host(), port.getAsInt(), target.process());
    probeLoop.execute(result, () -> start(spec, endpoint, timeout, result));
    probeLoop.failIfClosed(result);
    return result;
  }

  /** A probe connection's decoder: bytes in; the response's head and body parts out. */
  static HttpResponseDecoder responseDecoder() {
    return new HttpResponseDecoder(DECODER);
  }

  /** On the probe loop. */
  private void start(CheckSpec.Http spec, Endpoint endpoint, Duration timeout,
      CompletableFuture<CheckOutcome> result) {
    // Once the loop is closing its requests are released, and none may be encoded again.
    probeLoop.failIfClosed(result);
    if (result.isDone()) {
      return; // the caller gave up, or the loop is closing
    }
    EncodedRequest request = requests.get(spec, endpoint.host(), endpoint.port());
    new HttpExchange(endpoint, request, timeout, probeLoop.loop(), idle, connector, result)
        .start();
  }

  /** On the probe loop: a new connection whose responses go to {@code handler}. */
  private ChannelFuture connect(Endpoint endpoint, StatusHandler handler, Duration timeout) {
    return probeLoop
        .bootstrap(timeout)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel channel) {
            // No encoder: the request is already bytes (EncodedRequest).
            channel.pipeline().addLast(responseDecoder(), handler);
          }
        })
        .connect(endpoint.host(), endpoint.port());
  }
}

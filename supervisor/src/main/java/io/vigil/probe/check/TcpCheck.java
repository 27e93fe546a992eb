package io.vigil.probe.check;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP check, as the kubelet's tcpSocket probe: success as soon as the connection is
 * established, which is then closed at once without sending anything. Thread-safe.
 */
final class TcpCheck {
  static final String CONNECTED = "connected";

  // Nothing is read or written; ChannelInitializer is @Sharable, so one instance serves all.
  private static final ChannelInitializer<Channel> NO_HANDLERS =
      new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel channel) {}
      };

  private final ProbeLoop probeLoop;

  TcpCheck(ProbeLoop probeLoop) {
    this.probeLoop = probeLoop;
  }

  CompletableFuture<CheckOutcome> check(CheckSpec.Tcp spec, CheckTarget target, Duration timeout) {
    OptionalInt port = target.portFor(spec.port());
    if (port.isEmpty()) {
      return CompletableFuture.completedFuture(CheckOutcome.failure(Detail.NO_PORT));
    }
    CompletableFuture<CheckOutcome> result = new CompletableFuture<>();
    probeLoop.execute(result, () -> connect(target.host(), port.getAsInt(), timeout, result));
    probeLoop.failIfClosed(result);
    return result;
  }

  /** On the probe loop. */
  private void connect(
      String host, int port, Duration timeout, CompletableFuture<CheckOutcome> result) {
    if (result.isDone()) {
      return; // the caller gave up, or the loop is closing
    }
    ChannelFuture connect = probeLoop.bootstrap(timeout).handler(NO_HANDLERS).connect(host, port);
    connect.addListener(
        (ChannelFuture done) -> {
          if (done.isSuccess()) {
            result.complete(CheckOutcome.success(CONNECTED));
          } else if (Detail.isTargetFault(done.cause())) {
            result.complete(CheckOutcome.failure(Detail.connectFailure(done.cause(), timeout)));
          } else {
            result.completeExceptionally(done.cause());
          }
        });
    // One place closes the socket: after success (the kubelet closes at once too), after a
    // failure, and when the caller gives up on the future while it is still connecting.
    result.whenComplete((outcome, error) -> connect.channel().close());
  }
}

package io.vigil.metrics;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.config.ListenAddress;
import io.vigil.netty.Transport;
import io.vigil.netty.IdleLoops;
import io.vigil.netty.LoopThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The {@code /metrics} endpoint: one Netty event loop thread ("vigil-metrics") that accepts,
 * reads and answers scrapes, and sleeps between them. Not the JDK's HTTP server, which the
 * Prometheus client brings: its dispatcher thread wakes every second whether or not anyone
 * scrapes, and on a small VM that cost ~0.5 % of a core (docs/performance.md) where the whole
 * budget for probing 500 instances is 2.5 %.
 */
final class MetricsServer implements AutoCloseable {
  /** A scrape request is a request line and a few headers: anything larger is refused. */
  private static final int MAX_REQUEST_LINE = 4096;
  private static final int MAX_HEADERS = 8192;
  private static final int MAX_BODY = 8192;
  /** Longer than any sane scrape interval, so a scraper's kept-alive connection stays. */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

  private final EventLoopGroup loop;
  private final Channel server;

  private MetricsServer(EventLoopGroup loop, Channel server) {
    this.loop = loop;
    this.server = server;
  }

  /**
   * Serves {@code registry} on {@code listen}.
   *
   * @throws IOException if the address cannot be bound; the message is the system's reason
   *     (e.g. "Address already in use")
   */
  static MetricsServer start(ListenAddress listen, PrometheusRegistry registry)
      throws IOException {
    PrometheusScrapeHandler scrapes = new PrometheusScrapeHandler(registry);
    Transport transport = Transport.detect();
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, LoopThreads.named("vigil-metrics"),
        transport.ioHandlers());
    IdleLoops.sleepUntilNeeded(loop); // asleep between scrapes, not woken every second
    try {
      Channel server = new ServerBootstrap().group(loop)
          .channel(transport.serverChannel())
          .option(ChannelOption.SO_REUSEADDR, true)
          .childHandler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(
                  new IdleStateHandler(0, 0, IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                  new HttpServerCodec(new HttpDecoderConfig()
                      .setMaxInitialLineLength(MAX_REQUEST_LINE)
                      .setMaxHeaderSize(MAX_HEADERS)),
                  new HttpObjectAggregator(MAX_BODY),
                  new ScrapeHandler(scrapes));
            }
          })
          .bind(listen.host(), listen.port()).sync().channel();
      return new MetricsServer(loop, server);
    } catch (Exception e) {
      loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(SHUTDOWN_WAIT.toMillis());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException(reason(e), e);
    }
  }

  /** The port bound (the one asked for, or the free one chosen for port 0). */
  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly(SHUTDOWN_WAIT.toMillis());
    loop.shutdownGracefully(0, SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(SHUTDOWN_WAIT.toMillis() * 2);
  }

  /**
   * "Address already in use", as the JDK says it, not the native transport's "bind(..) failed
   * with error(-98): Address already in use".
   */
  static String reason(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int failed = message.indexOf(" failed");
    int colon = failed < 0 ? -1 : message.indexOf(": ", failed);
    return colon < 0 ? message : message.substring(colon + 2);
  }
}

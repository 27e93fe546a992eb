package io.vigil.lb.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vigil.instance.InstanceId;
import io.vigil.lb.EndpointState;
import io.vigil.lb.LbSpec;
import io.vigil.lb.Protocol;
import io.vigil.netty.IdleLoops;
import io.vigil.netty.Transport;
import io.vigil.time.Nanos;
import io.vigil.time.Ticker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Vigil's load balancers, one per service that has a {@code load-balancer} block: each listens on
 * its address and spreads HTTP requests (or TCP connections) over the instances the supervisor
 * says are ready, with the policy of {@link io.vigil.lb.TrafficPolicy}.
 *
 * <pre>{@code
 * LoadBalancers lbs = new LoadBalancers(Ticker.SYSTEM, events);
 * lbs.start("web", spec);                                     // binds spec.listen()
 * lbs.updateEndpoints("web", List.of(new Endpoint(web0, "127.0.0.1", 8000)));
 * ...
 * lbs.updateEndpoints("web", List.of());                      // web/0 is to stop: no new requests
 * lbs.drain(web0, spec.timeouts().drain()).join();            // its requests in flight are done
 * }</pre>
 *
 * <p>Threads: one acceptor thread and one event loop per CPU ({@code vigil-lb-*}), shared by every
 * service; a client connection and the connections it opens to instances share one loop. Each
 * service's policy objects are guarded by one lock (see {@link io.vigil.lb.TrafficPolicy}), held
 * only for the short decision calls. Public methods are thread-safe; {@link LbEvents} and {@link
 * LbMetrics} are called on event loops.
 */
public final class LoadBalancers implements AutoCloseable {
  /** Request line (method, URI, version) longer than this: 414. */
  static final int MAX_REQUEST_LINE = 8 * 1024;
  /** Request headers larger than this, in all: 431. */
  static final int MAX_HEADERS = 16 * 1024;
  static final int MAX_CHUNK = 64 * 1024;

  private final Ticker ticker;
  private final LbEvents events;
  private final LbMetrics metrics;
  private final Transport transport;
  /**
   * Each event loop takes a request's and a response's buffers from its own thread cache, where
   * Netty 4.2's default (adaptive) allocator goes through queues shared by the threads: 1.4 µs
   * less CPU per request and 5 % more requests per second in an A/B (docs/performance-lb.md).
   */
  static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

  private final EventLoopGroup acceptor;
  private final AtomicBoolean loopsStarted = new AtomicBoolean();
  private final EventLoopGroup workers;
  private final Map<String, ServiceBalancer> services = new ConcurrentHashMap<>();
  private final LoopTimers timers = new LoopTimers();

  public LoadBalancers(Ticker ticker, LbEvents events) {
    this(ticker, events, LbMetrics.NONE);
  }

  public LoadBalancers(Ticker ticker, LbEvents events, LbMetrics metrics) {
    this(ticker, events, metrics, Transport.detect(), Runtime.getRuntime().availableProcessors());
  }

  LoadBalancers(Ticker ticker, LbEvents events, LbMetrics metrics, Transport transport,
      int threads) {
    LeakDetection.offUnlessConfigured();
    this.ticker = ticker;
    this.events = events;
    this.metrics = metrics;
    this.transport = transport;
    this.acceptor = new MultiThreadIoEventLoopGroup(1,
        new DefaultThreadFactory("vigil-lb-accept", true), transport.ioHandlers());
    this.workers = new MultiThreadIoEventLoopGroup(threads,
        new DefaultThreadFactory("vigil-lb", true), transport.ioHandlers());
  }

  /**
   * Binds {@code spec}'s listen address for {@code service}. Until {@link #updateEndpoints} names
   * ready instances, requests get the fallback response.
   *
   * @throws IOException if the address cannot be bound (in use, not local...)
   * @throws IllegalStateException if the service already has a load balancer
   */
  public void start(String service, LbSpec spec) throws IOException {
    ServiceBalancer balancer =
        new ServiceBalancer(service, spec, ticker, events, metrics, transport, workers, timers);
    if (services.putIfAbsent(service, balancer) != null) {
      throw new IllegalStateException("service '" + service + "' already has a load balancer");
    }
    try {
      if (loopsStarted.compareAndSet(false, true)) {
        // Not at construction: without a load balancer the loops' threads never start.
        IdleLoops.sleepUntilNeeded(acceptor);
        IdleLoops.sleepUntilNeeded(workers);
      }
      Channel server = new ServerBootstrap().group(acceptor, workers)
          .channel(transport.serverChannel())
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.AUTO_READ, false)
          .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(spec.protocol() == Protocol.TCP ? tcp(balancer) : http(balancer, timers))
          .bind(spec.host(), spec.port()).sync().channel();
      balancer.bound(server);
    } catch (Exception e) {
      services.remove(service, balancer);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("load balancer of service '" + service + "' cannot listen on "
          + spec.listen() + ": " + e.getMessage(), e);
    }
  }

  private static ChannelInitializer<Channel> http(ServiceBalancer service, LoopTimers timers) {
    long idle = Nanos.of(service.spec.timeouts().idle());
    long header = Nanos.of(service.spec.timeouts().header());
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        HeaderTimeout headerTimeout = new HeaderTimeout(header, timers);
        ch.pipeline().addLast(
            DeferredFlush.handler(),
            new IdleTimeout(idle, timers),
            headerTimeout,
            new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(MAX_HEADERS)
                .setMaxChunkSize(MAX_CHUNK)),
            new HttpServerExpectContinueHandler(),
            new FlowControlHandler(),
            new HttpFrontend(service, headerTimeout));
      }
    };
  }

  private static ChannelInitializer<Channel> tcp(ServiceBalancer service) {
    long idle = Nanos.of(service.spec.timeouts().idle());
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new IdleStateHandler(0, 0, idle, TimeUnit.NANOSECONDS) {
          @Override
          protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
              io.netty.handler.timeout.IdleStateEvent evt) {
            ctx.close();
          }
        }, new TcpFrontend(service));
      }
    };
  }

  /**
   * Closes {@code service}'s listener, its client connections (requests in flight are cut) and
   * idle pooled connections; drains waiting on it complete. Drain the instances first for a
   * graceful stop. No-op for a service without a load balancer.
   */
  public void stop(String service) {
    ServiceBalancer balancer = services.remove(service);
    if (balancer == null) {
      return;
    }
    balancer.cancelTimers();
    if (balancer.server() != null) {
      balancer.server().close().syncUninterruptibly();
    }
    balancer.clients.close();
    balancer.pool.closeAll();
    balancer.completeAllDrains();
  }

  /**
   * The instances of {@code service} that get new requests from now on. One that left the list
   * gets none, at once; its requests in flight go on (see {@link #drain}). Ignored for a service
   * without a load balancer.
   */
  public void updateEndpoints(String service, List<Endpoint> ready) {
    ServiceBalancer balancer = services.get(service);
    if (balancer != null) {
      balancer.updateEndpoints(List.copyOf(ready));
    }
  }

  /**
   * Completes when no request (or TCP connection) is in flight to {@code id} any more, or after
   * {@code timeout}, whichever comes first; never exceptionally. Take the instance out of {@link
   * #updateEndpoints} first, or new requests keep it busy. Completes at once for an instance
   * without requests or a service without a load balancer.
   */
  public CompletableFuture<Void> drain(InstanceId id, Duration timeout) {
    ServiceBalancer balancer = services.get(id.service());
    if (balancer == null) {
      return CompletableFuture.completedFuture(null);
    }
    return balancer.drain(id, timeout, workers.next());
  }

  /** The port {@code service}'s load balancer is bound to (the kernel's choice for port 0). */
  public int port(String service) {
    ServiceBalancer balancer = services.get(service);
    if (balancer == null || balancer.server() == null) {
      throw new IllegalArgumentException("service '" + service + "' has no load balancer");
    }
    return ((InetSocketAddress) balancer.server().localAddress()).getPort();
  }

  /**
   * A snapshot of {@code service}'s instances as its load balancer sees them: in rotation or
   * draining, ejection, requests in flight, failure counts. Empty for a service without one.
   */
  public List<EndpointState> state(String service) {
    ServiceBalancer balancer = services.get(service);
    return balancer == null ? List.of() : balancer.state();
  }

  /** Which transport the load balancers use: "epoll" or "NIO". */
  public String transport() {
    return transport.name();
  }

  /** Stops every load balancer and the event loops. */
  @Override
  public void close() {
    List.copyOf(services.keySet()).forEach(this::stop);
    acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}

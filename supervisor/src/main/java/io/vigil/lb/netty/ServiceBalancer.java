package io.vigil.lb.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.handler.codec.http.HttpClientCodec;
import io.vigil.instance.InstanceId;
import io.vigil.lb.EndpointState;
import io.vigil.lb.LbSpec;
import io.vigil.lb.Limits;
import io.vigil.lb.OutlierEvent;
import io.vigil.lb.Outcome;
import io.vigil.lb.RetryDecision;
import io.vigil.lb.TrafficPolicy;
import io.vigil.netty.Transport;
import io.vigil.time.Nanos;
import io.vigil.time.Ticker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One service's load balancer at run time: its {@link TrafficPolicy}, the addresses of its
 * instances, its pool of connections to them, drains and the timer that ends ejections. The
 * handlers call the policy through this class, which fires {@link LbEvents} and {@link LbMetrics}
 * after each call, outside the policy's lock.
 *
 * <p>Thread-safety: called from every event loop and from the supervisor; the policy is
 * synchronized, addresses are a concurrent map, drains and the return timer are guarded by this.
 */
final class ServiceBalancer {
  private static final Logger LOG = System.getLogger(ServiceBalancer.class.getName());

  final String name;
  final LbSpec spec;
  final Ticker ticker;
  final LbMetrics metrics;
  final UpstreamPool pool = new UpstreamPool();
  /** Open client connections, closed by {@link LoadBalancers#stop}; closed ones leave by themselves. */
  final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  /** The timeouts of the data path, one timer per event loop. */
  final LoopTimers timers;
  final long requestTimeoutNanos;
  final long perTryTimeoutNanos;
  private final TrafficPolicy policy;
  private final LbEvents events;
  private final Transport transport;
  private final EventLoopGroup workers;
  /** Every instance ever in rotation: an instance that left may still have requests in flight. */
  private final Map<InstanceId, Endpoint> addresses = new ConcurrentHashMap<>();
  private final Map<InstanceId, List<CompletableFuture<Void>>> drains = new HashMap<>();
  private ScheduledFuture<?> returnTimer;
  private long returnTimerAt;
  private volatile Channel server;

  ServiceBalancer(String name, LbSpec spec, Ticker ticker, LbEvents events, LbMetrics metrics,
      Transport transport, EventLoopGroup workers, LoopTimers timers) {
    this.name = name;
    this.timers = timers;
    this.spec = spec;
    this.ticker = ticker;
    this.events = events;
    this.metrics = metrics;
    this.transport = transport;
    this.workers = workers;
    this.policy = new TrafficPolicy(spec, new SplittableRandom());
    this.requestTimeoutNanos = Nanos.of(spec.timeouts().request());
    this.perTryTimeoutNanos = spec.retries().perTryTimeout().map(Nanos::of).orElse(0L);
  }

  void bound(Channel server) {
    this.server = server;
  }

  Channel server() {
    return server;
  }

  long now() {
    return ticker.nanos();
  }

  // ------------------------------------------------------------------ rotation and drains

  void updateEndpoints(List<Endpoint> ready) {
    List<InstanceId> ids = new ArrayList<>();
    for (Endpoint e : ready) {
      addresses.put(e.id(), e);
      ids.add(e.id());
    }
    Set<InstanceId> before = Set.copyOf(idsInRotation());
    policy.endpoints(ids, now());
    // Idle pooled connections to an instance that left would only keep it from stopping.
    before.stream().filter(id -> !ids.contains(id)).forEach(pool::closeIdle);
  }

  private List<InstanceId> idsInRotation() {
    return policy.state(now()).stream().filter(EndpointState::inRotation)
        .map(EndpointState::instance).toList();
  }

  CompletableFuture<Void> drain(InstanceId id, Duration timeout, EventLoop timerLoop) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (this) {
      if (policy.inFlight(id) == 0) {
        done.complete(null);
        return done;
      }
      drains.computeIfAbsent(id, unused -> new ArrayList<>()).add(done);
    }
    ScheduledFuture<?> timer = timerLoop.schedule(() -> {
      if (!done.isDone()) {
        LOG.log(Level.INFO, "{0}: drain timed out after {1} with {2} request(s) in flight",
            id, timeout, policy.inFlight(id));
        done.complete(null);
      }
    }, Nanos.of(timeout), TimeUnit.NANOSECONDS);
    done.whenComplete((ok, e) -> timer.cancel(false));
    return done;
  }

  private void completeDrains(InstanceId id) {
    List<CompletableFuture<Void>> waiting;
    synchronized (this) {
      waiting = drains.remove(id);
    }
    if (waiting != null) {
      waiting.forEach(f -> f.complete(null));
    }
  }

  synchronized void completeAllDrains() {
    drains.values().forEach(list -> list.forEach(f -> f.complete(null)));
    drains.clear();
  }

  List<EndpointState> state() {
    return policy.state(now());
  }

  // ------------------------------------------------------------------ policy, with events fired

  boolean tryAcquire(Limits.Kind kind) {
    boolean ok = policy.tryAcquire(kind);
    if (!ok) {
      metrics.rejected(name, kind.reason());
    }
    return ok;
  }

  void release(Limits.Kind kind) {
    policy.release(kind);
  }

  TrafficPolicy.Pick pick(Set<InstanceId> tried) {
    TrafficPolicy.Pick pick = policy.pick(tried, now());
    fire(pick.events());
    return pick;
  }

  Endpoint address(InstanceId id) {
    return addresses.get(id);
  }

  /** A try ended; {@code outcome} null: not the instance's doing (the client left). */
  void finished(InstanceId id, boolean retry, Outcome outcome) {
    if (outcome != null) {
      fire(policy.record(id, outcome, now()));
    }
    if (policy.finished(id, retry) == 0) {
      completeDrains(id);
    }
  }

  /** Counts an outcome while the try goes on (a response head that is passed to the client). */
  void record(InstanceId id, Outcome outcome) {
    fire(policy.record(id, outcome, now()));
  }

  RetryDecision retry(Outcome outcome, String method, boolean replayable, int retries,
      long deadline) {
    return policy.retry(outcome, method, replayable, retries, now(), deadline);
  }

  void retryAbandoned() {
    policy.retryAbandoned();
  }

  /** Reports the events; logging them is the listener's job (the supervisor's event log). */
  private void fire(List<OutlierEvent> list) {
    for (OutlierEvent e : list) {
      long now = now();
      notify(e, () -> events.outlier(e, now));
      notify(e, () -> metrics.outlier(name, e));
      if (e.type() == OutlierEvent.Type.EJECTED) {
        armReturnTimer();
      }
    }
  }

  /** A listener's bug must not break the request that happened to report the event. */
  private static void notify(OutlierEvent event, Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException bug) {
      LOG.log(Level.ERROR, "load balancer listener failed on " + event, bug);
    }
  }

  /** Ejections end when their time is up even without traffic, so that RETURNED is reported. */
  private void armReturnTimer() {
    long at = policy.nextReturn().orElse(Long.MAX_VALUE);
    synchronized (this) {
      if (at == Long.MAX_VALUE || (returnTimer != null && !returnTimer.isDone()
          && returnTimerAt - at <= 0)) {
        return;
      }
      if (returnTimer != null) {
        returnTimer.cancel(false);
      }
      returnTimerAt = at;
      returnTimer = workers.next().schedule(() -> {
        fire(policy.returnDue(now()));
        armReturnTimer();
      }, Math.max(0, at - now()), TimeUnit.NANOSECONDS);
    }
  }

  synchronized void cancelTimers() {
    if (returnTimer != null) {
      returnTimer.cancel(false);
    }
  }

  // ------------------------------------------------------------------ connections to instances

  /** Connects to {@code endpoint} on {@code loop} with the HTTP client pipeline. */
  ChannelFuture connectHttp(EventLoop loop, Endpoint endpoint) {
    long idleNanos = Nanos.of(spec.timeouts().upstreamIdle());
    return bootstrap(loop).handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(DeferredFlush.handler(), new IdleTimeout(idleNanos, timers),
            new HttpClientCodec(8192, 65536, 65536),
            new HttpBackend(ServiceBalancer.this, endpoint.id()));
      }
    }).connect(endpoint.host(), endpoint.port());
  }

  /** Connects to {@code endpoint} on {@code loop} with a raw byte pipeline. */
  ChannelFuture connectTcp(EventLoop loop, Endpoint endpoint, Channel client) {
    return bootstrap(loop).handler(new TcpRelay(client)).connect(endpoint.host(), endpoint.port());
  }

  private Bootstrap bootstrap(EventLoop loop) {
    return new Bootstrap().group(loop).channel(transport.channel())
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.ALLOCATOR, LoadBalancers.ALLOCATOR)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.max(1, Math.min(Integer.MAX_VALUE, spec.timeouts().connect().toMillis())));
  }
}

package io.vigil.lb.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vigil.instance.InstanceId;
import io.vigil.lb.Limits;
import io.vigil.lb.Outcome;
import io.vigil.lb.RetryDecision;
import io.vigil.lb.TrafficPolicy;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A client's connection in TCP mode: connect to an instance picked by the balancer (another one,
 * after the back-off, if the connect fails and retries allow), then pipe bytes both ways with
 * read-after-write back-pressure. The connection counts in flight to its instance until it
 * closes. Event-loop confined; the instance's connection shares the client's loop.
 */
final class TcpFrontend extends ChannelInboundHandlerAdapter {
  private final ServiceBalancer service;
  private final Set<InstanceId> tried = new HashSet<>();
  private ChannelHandlerContext ctx;
  private Channel upstream;
  private InstanceId instance;
  private boolean retry;
  private boolean connectionSlot;
  private boolean closed;
  private int retries;
  private long startedAt;
  private long deadline;

  TcpFrontend(ServiceBalancer service) {
    this.service = service;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    service.clients.add(ctx.channel());
    if (!service.tryAcquire(Limits.Kind.CONNECTIONS)) {
      ctx.close();
      return;
    }
    connectionSlot = true;
    startedAt = service.now();
    deadline = startedAt + service.requestTimeoutNanos;
    service.metrics.requestStarted(service.name);
    tryNext();
  }

  private void tryNext() {
    if (closed) {
      if (retry) {
        service.retryAbandoned();
      }
      return;
    }
    TrafficPolicy.Pick pick = service.pick(tried);
    if (pick.instance().isEmpty()) {
      if (retry) {
        service.retryAbandoned();
      }
      service.metrics.rejected(service.name, "no-instance");
      service.metrics.requestFinished(service.name, Optional.empty(), 503,
          service.now() - startedAt);
      ctx.close();
      return;
    }
    InstanceId id = pick.instance().get();
    tried.add(id);
    boolean isRetry = retry;
    retry = false;
    service.connectTcp(ctx.channel().eventLoop(), service.address(id), ctx.channel())
        .addListener((ChannelFuture f) -> connected(id, isRetry, f));
  }

  private void connected(InstanceId id, boolean isRetry, ChannelFuture f) {
    if (f.isSuccess() && !closed) {
      upstream = f.channel();
      instance = id;
      retry = isRetry;
      service.record(id, Outcome.connected());
      ctx.read();
      upstream.read();
      return;
    }
    if (f.isSuccess()) {
      f.channel().close(); // the client left meanwhile
    }
    service.finished(id, isRetry, closed ? null : Outcome.connectFailure());
    if (closed) {
      return;
    }
    RetryDecision d = service.retry(Outcome.connectFailure(), "CONNECT", true, retries, deadline);
    if (!d.retry()) {
      service.metrics.rejected(service.name, "no-instance");
      service.metrics.requestFinished(service.name, Optional.empty(), 503,
          service.now() - startedAt);
      ctx.close();
      return;
    }
    retries++;
    retry = true;
    service.metrics.retried(service.name, id, d.reason());
    ctx.executor().schedule(this::tryNext, d.delayNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    upstream.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        ctx.channel().read();
      } else {
        ctx.close();
      }
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    if (upstream != null) {
      TcpRelay.closeOnFlush(upstream);
      service.finished(instance, retry, null);
      service.metrics.requestFinished(service.name, Optional.of(instance), 200,
          service.now() - startedAt);
      upstream = null;
    }
    if (connectionSlot) {
      connectionSlot = false;
      service.release(Limits.Kind.CONNECTIONS);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}

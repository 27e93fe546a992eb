package io.vigil.probe.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.vigil.netty.LoopThreads;
import io.vigil.netty.Transport;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one event loop thread ("vigil-probe") shared by every network check of every instance:
 * probes are short and mostly idle, so one thread multiplexes thousands of them and Vigil never
 * needs a thread per probe or per instance. Epoll when the native transport loads, else NIO.
 * Thread-safe.
 */
final class ProbeLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ProbeLoop.class.getName());
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Bootstrap prototype;

  ProbeLoop() {
    this(Transport.detect());
  }

  ProbeLoop(Transport transport) {
    this.group =
        new MultiThreadIoEventLoopGroup(1, LoopThreads.named("vigil-probe"), transport.ioHandlers());
    // One thread, so one loop: timers and channels share it and need no cross-thread hand-off.
    this.loop = group.next();
    this.prototype = new Bootstrap().group(loop).channel(transport.channel());
    LOG.log(Level.DEBUG, "probe event loop started with {0}", transport.name());
  }

  EventLoop loop() {
    return loop;
  }

  /**
   * A fresh bootstrap whose connect attempt gives up after {@code timeout}.
   *
   * @throws IllegalStateException when the loop is closed: checking then is the caller's bug
   */
  Bootstrap bootstrap(Duration timeout) {
    if (group.isShuttingDown()) {
      throw new IllegalStateException("probe loop is closed");
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    return prototype.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis);
  }

  /**
   * Runs {@code task} on the loop: a check's sockets are created, connected, read and closed on
   * the loop thread only, never on the caller's (the control thread). A task that throws is our
   * bug and fails {@code result}.
   *
   * @throws IllegalStateException when the loop is closed: checking then is the caller's bug
   */
  void execute(CompletableFuture<?> result, Runnable task) {
    if (group.isShuttingDown()) {
      throw new IllegalStateException("probe loop is closed");
    }
    loop.execute(() -> {
      try {
        task.run();
      } catch (RuntimeException | Error bug) {
        result.completeExceptionally(bug);
      }
    });
  }

  /**
   * Completes {@code result} exceptionally if the loop is closing. Call after a check has set up
   * its listeners: once the loop has terminated Netty drops listener notifications (it logs
   * "Failed to submit a listener notification task"), and the future would never complete.
   */
  void failIfClosed(CompletableFuture<?> result) {
    if (group.isShuttingDown()) {
      result.completeExceptionally(new IllegalStateException("probe loop is closed"));
    }
  }

  /**
   * Runs {@code hook} on the loop when it closes, once the tasks queued before have run: where
   * what lives on the loop is released. A check started later fails ({@link #failIfClosed}).
   */
  void onClose(Runnable hook) {
    // Netty runs the shutdown hooks of its single-thread loops (every loop of a
    // MultiThreadIoEventLoopGroup is one) on the loop thread, after its last tasks.
    ((SingleThreadEventExecutor) loop).addShutdownHook(hook);
  }

  @Override
  public void close() {
    // No quiet period: probes are idempotent and the control loop has stopped asking for them.
    group
        .shutdownGracefully(0, SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(SHUTDOWN_WAIT.toMillis() * 2);
  }
}

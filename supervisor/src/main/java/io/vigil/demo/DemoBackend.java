package io.vigil.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A tiny HTTP service to supervise in demos, with faults to inject on request.
 *
 * <pre>{@code
 * try (DemoBackend backend = DemoBackend.start(new InetSocketAddress("127.0.0.1", 8080))) {
 *   backend.awaitShutdown();
 * }
 * // curl localhost:8080/fault/slow?ms=500 ; curl -X POST localhost:8080/fault/crash?code=3
 * }</pre>
 *
 * <p>Endpoints: {@code GET /} (greeting; {@code errors} turns some into 500), {@code /healthz},
 * {@code /readyz}, {@code GET /fault} (the fault state as JSON), and, by GET or POST,
 * {@code /fault/crash?code=N}, {@code /fault/hang}, {@code /fault/slow?ms=N},
 * {@code /fault/errors?rate=R}, {@code /fault/ready?on=B}, {@code /fault/leak?mb=N} and
 * {@code /fault/reset}. A bad parameter is a 400 that says what is expected. The slow fault
 * delays the service endpoints, not {@code /fault}, so that it can always be turned off; a hang
 * blocks everything. See {@link RetainedMemory} for the heap and direct memory a leak needs.
 *
 * <p>Requests run on a fixed pool of 8 threads, so one slow or hung request does
 * not stop the others (a hang stops them all, as it should). Thread-safe.
 */
public final class DemoBackend implements AutoCloseable {
  private static final int THREADS = 8;
  private static final long CLOSE_WAIT_SECONDS = 2;

  private final HttpServer server;
  private final ExecutorService pool;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicBoolean closeStarted = new AtomicBoolean();

  private DemoBackend(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /**
   * Starts serving on {@code address} (port 0 = any free port). A crash fault halts the JVM
   * without running shutdown hooks, as a real crash would; fault changes are printed to stdout.
   */
  public static DemoBackend start(InetSocketAddress address) throws IOException {
    return start(address, DemoBackend::halt, System.out::println);
  }

  /**
   * Starts serving with a chosen crash action and fault log, for tests and embedding.
   *
   * @param exiter called with the exit code after a crash request has been answered
   * @param log receives one line per fault change
   */
  public static DemoBackend start(
      InetSocketAddress address, IntConsumer exiter, Consumer<String> log) throws IOException {
    Objects.requireNonNull(exiter, "exiter");
    Objects.requireNonNull(log, "log");
    HttpServer server = HttpServer.create(address, 0);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, daemonThreads());
    DemoBackend backend = new DemoBackend(server, pool);
    server.createContext("/", new Routes(new Faults(log), greeting(), exiter, backend.closing));
    server.setExecutor(pool);
    server.start();
    return backend;
  }

  /** The port actually bound; differs from the requested one when that was 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Blocks until {@link #close()} has finished; returns early, interrupted, on interrupt. */
  public void awaitShutdown() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops serving, releases hung requests and waits briefly for the pool; idempotent. */
  @Override
  public void close() {
    if (!closeStarted.compareAndSet(false, true)) {
      awaitShutdown();
      return;
    }
    closing.countDown();
    server.stop(0);
    pool.shutdownNow();
    try {
      pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closed.countDown();
    }
  }

  private static String greeting() {
    return "hello from " + env("VIGIL_SERVICE") + "/" + env("VIGIL_INSTANCE")
        + " pid " + ProcessHandle.current().pid();
  }

  private static String env(String name) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? "unknown" : value;
  }

  private static void halt(int code) {
    // halt, not exit: a crash runs no shutdown hooks. Flush first so the fault line is not lost.
    System.out.flush();
    Runtime.getRuntime().halt(code);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "demo-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}

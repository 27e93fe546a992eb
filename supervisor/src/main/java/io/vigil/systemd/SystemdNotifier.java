package io.vigil.systemd;

import io.vigil.time.HumanDuration;
import io.vigil.time.Ticker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells systemd how Vigil is doing, as {@code sd_notify(3)} does, when it runs as a {@code
 * Type=notify} service: ready, status, stopping, and the watchdog's pings. Outside systemd (no
 * {@code $NOTIFY_SOCKET}) every method does nothing.
 *
 * <pre>{@code
 * try (SystemdNotifier systemd = SystemdNotifier.fromEnvironment(System.getenv())) {
 *   systemd.startWatchdog(supervisor::ping);   // WATCHDOG=1 only while the control loop answers
 *   systemd.ready("supervising 3 services");   // READY=1: `systemctl start` returns
 *   stopRequested.await();
 *   systemd.stopping();                        // STOPPING=1
 * }
 * }</pre>
 *
 * <p>No method throws when systemd cannot be reached: the first failure is logged as a warning.
 * Thread-safe. The watchdog runs on one daemon thread, {@code vigil-systemd-watchdog}, from
 * {@link #startWatchdog} until {@link #close()}.
 */
public final class SystemdNotifier implements AutoCloseable {
  private static final Logger LOG = System.getLogger(SystemdNotifier.class.getName());

  private final NotifySink sink;
  private final long watchdogIntervalNanos;
  private final Ticker ticker;

  private ScheduledExecutorService watchdogThread;
  private boolean closed;

  /**
   * @param watchdogIntervalNanos how often to ping; 0 when systemd expects no pings
   */
  SystemdNotifier(NotifySink sink, long watchdogIntervalNanos, Ticker ticker) {
    this.sink = sink;
    this.watchdogIntervalNanos = watchdogIntervalNanos;
    this.ticker = ticker;
  }

  /**
   * Reads {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID} as systemd sets
   * them for the main process. Without {@code NOTIFY_SOCKET} (or with one that is not a unix
   * socket name) the notifier does nothing.
   */
  public static SystemdNotifier fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, ProcessHandle.current().pid(), Ticker.SYSTEM);
  }

  static SystemdNotifier fromEnvironment(Map<String, String> env, long ourPid, Ticker ticker) {
    String socket = env.get("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) {
      return new SystemdNotifier(NotifySink.NONE, 0, ticker);
    }
    UnixAddress address;
    try {
      address = UnixAddress.parse(socket);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "NOTIFY_SOCKET " + e.getMessage() + "; systemd will not be told"
          + " that Vigil is ready");
      return new SystemdNotifier(NotifySink.NONE, 0, ticker);
    }
    return new SystemdNotifier(new NotifySocket(address), watchdogInterval(env, ourPid), ticker);
  }

  /**
   * Half of {@code WATCHDOG_USEC}, as sd_watchdog_enabled(3) advises, in nanoseconds; 0 when
   * there is no watchdog or it is meant for another process ({@code WATCHDOG_PID}).
   */
  static long watchdogInterval(Map<String, String> env, long ourPid) {
    String usec = env.get("WATCHDOG_USEC");
    if (usec == null || usec.isEmpty()) {
      return 0;
    }
    String pid = env.get("WATCHDOG_PID");
    if (pid != null && !pid.isEmpty() && !pid.equals(Long.toString(ourPid))) {
      LOG.log(Level.DEBUG, "WATCHDOG_PID=" + pid + " is not this process (" + ourPid
          + "); no watchdog pings");
      return 0;
    }
    long micros;
    try {
      micros = Long.parseLong(usec);
    } catch (NumberFormatException e) {
      micros = -1;
    }
    if (micros <= 0) {
      LOG.log(Level.WARNING, "WATCHDOG_USEC must be a positive number of microseconds (got \""
          + usec + "\"); no watchdog pings");
      return 0;
    }
    return TimeUnit.MICROSECONDS.toNanos(micros) / 2;
  }

  /** {@code READY=1} with a status line: start-up is complete. */
  public void ready(String status) {
    sink.send("READY=1\nSTATUS=" + oneLine(status));
  }

  /** {@code STATUS=...}: the line {@code systemctl status} shows. */
  public void status(String status) {
    sink.send("STATUS=" + oneLine(status));
  }

  /** {@code STOPPING=1}: an orderly stop has begun. */
  public void stopping() {
    sink.send("STOPPING=1");
  }

  /**
   * Pings systemd every {@code WATCHDOG_USEC / 2} while {@code heartbeat} (the control loop's
   * round trip) answers within that interval; does nothing when systemd set no watchdog. A
   * heartbeat that is missed is logged as a warning, and no ping is sent for it.
   *
   * @throws IllegalStateException if the watchdog was already started
   */
  public synchronized void startWatchdog(Supplier<CompletableFuture<Void>> heartbeat) {
    if (watchdogIntervalNanos <= 0 || closed) {
      return;
    }
    if (watchdogThread != null) {
      throw new IllegalStateException("the systemd watchdog is already running");
    }
    watchdogThread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-systemd-watchdog");
      t.setDaemon(true);
      return t;
    });
    Watchdog watchdog = new Watchdog(heartbeat, watchdogIntervalNanos, ticker, sink,
        dropWhenClosed(watchdogThread));
    watchdogThread.scheduleAtFixedRate(() -> beatGuarded(watchdog), 0, watchdogIntervalNanos,
        TimeUnit.NANOSECONDS);
    LOG.log(Level.INFO, "systemd watchdog: " + Watchdog.PING + " every "
        + HumanDuration.format(watchdogIntervalNanos) + " while the control loop answers");
  }

  /** Whether messages go to systemd (false: not run by systemd, or NOTIFY_SOCKET unusable). */
  boolean enabled() {
    return sink != NotifySink.NONE;
  }

  synchronized boolean watchdogRunning() {
    return watchdogThread != null && !watchdogThread.isShutdown();
  }

  /** Stops the watchdog and closes the socket; later messages are dropped. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (watchdogThread != null) {
      watchdogThread.shutdownNow();
    }
    sink.close();
  }

  private static void beatGuarded(Watchdog watchdog) {
    // A task of scheduleAtFixedRate that throws is cancelled silently; the pings must go on.
    try {
      watchdog.beat();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.ERROR, "bug in the systemd watchdog beat; continuing", e);
    }
  }

  /**
   * The watchdog thread as an executor for heartbeat completions. After {@link #close()} they
   * are dropped: a rejection would otherwise be thrown at whoever completes the heartbeat, the
   * control loop.
   */
  private static Executor dropWhenClosed(ScheduledExecutorService thread) {
    return task -> {
      try {
        thread.execute(task);
      } catch (RejectedExecutionException closed) {
        LOG.log(Level.DEBUG, "systemd watchdog closed; heartbeat answer dropped");
      }
    };
  }

  /** A status must be one line: a newline would start another KEY=value assignment. */
  static String oneLine(String status) {
    return status.replace('\r', ' ').replace('\n', ' ');
  }
}

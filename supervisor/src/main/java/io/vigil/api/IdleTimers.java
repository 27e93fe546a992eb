package io.vigil.api;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Set;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.ConnectionProbe;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.utils.DelayedExecutor;

/**
 * Runs Grizzly's timer only while the API has a connection open. {@link HttpServer#start} starts
 * a {@link DelayedExecutor} whose thread wakes every second for as long as the server runs, to
 * time out idle connections and suspended responses; with no connection there is nothing to time
 * out. On the VM the benchmarks ran on, each of those idle wake-ups cost 1–2 ms of CPU: 0.1–0.3 %
 * of a core for an API nobody called (docs/performance.md). Here the first accepted connection
 * starts the timer again and the last one to close stops it.
 *
 * <p>Grizzly does not expose the executor; it is read from the server's field after start. If a
 * later Grizzly renames it, the timer just keeps running as before (logged at DEBUG).
 * Thread-safe.
 */
final class IdleTimers extends ConnectionProbe.Adapter {
  private static final Logger LOG = System.getLogger(IdleTimers.class.getName());

  private final Set<Connection<?>> open = new HashSet<>();
  private DelayedExecutor timer;

  private IdleTimers() {}

  /** Counts the listener's connections from now on; call before the server starts. */
  static IdleTimers watch(NetworkListener listener) {
    IdleTimers timers = new IdleTimers();
    listener.getTransport().getConnectionMonitoringConfig().addProbes(timers);
    return timers;
  }

  /** Takes charge of the started server's timer: stopped at once if no connection is open. */
  synchronized void attach(HttpServer started) {
    try {
      Field field = HttpServer.class.getDeclaredField("delayedExecutor");
      field.setAccessible(true);
      timer = (DelayedExecutor) field.get(started);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.DEBUG, "Grizzly's timer not found; it keeps waking every second", e);
      return;
    }
    if (timer != null && open.isEmpty()) {
      timer.stop();
    }
  }

  /** Whether the timer is stopped now; for tests. */
  synchronized boolean stopped() {
    return timer != null && open.isEmpty();
  }

  @Override
  public synchronized void onAcceptEvent(Connection serverConnection, Connection connection) {
    if (open.add(connection) && open.size() == 1 && timer != null) {
      timer.start();
    }
  }

  @Override
  public synchronized void onCloseEvent(Connection connection) {
    if (open.remove(connection) && open.isEmpty() && timer != null) {
      timer.stop();
    }
  }
}

package io.vigil.systemd;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier against a real AF_UNIX datagram socket standing in for systemd's, bound with the
 * same JNA calls: at a path in a temporary directory and in the abstract namespace. The watchdog
 * runs on its real thread with WATCHDOG_USEC=200000, so it beats every 100 ms.
 */
@Timeout(30)
class SystemdNotifyIT {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String PID = Long.toString(ProcessHandle.current().pid());
  private static final String WATCHDOG_USEC = "200000";

  @TempDir Path dir;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : resources) {
      c.close();
    }
  }

  @Test
  void everyMessageReachesASocketAtAPath() throws IOException {
    everyMessageArrives(dir.resolve("notify").toString());
  }

  @Test
  void everyMessageReachesAnAbstractSocket() throws IOException {
    everyMessageArrives("@vigil-it-" + UUID.randomUUID());
  }

  private void everyMessageArrives(String notifySocket) throws IOException {
    // Given "systemd" listening where NOTIFY_SOCKET says, with a watchdog for this process
    UnixDatagramSocket systemd = listen(notifySocket, WAIT);
    SystemdNotifier notifier = notifier(Map.of("NOTIFY_SOCKET", notifySocket,
        "WATCHDOG_USEC", WATCHDOG_USEC, "WATCHDOG_PID", PID));

    // When Vigil reports readiness and a status, then runs the watchdog
    notifier.ready("supervising 2 services");
    notifier.status("reloading");
    notifier.startWatchdog(() -> CompletableFuture.completedFuture(null));

    // Then they arrive in order, and pings follow
    assertEquals("READY=1\nSTATUS=supervising 2 services", receive(systemd));
    assertEquals("STATUS=reloading", receive(systemd));
    assertEquals("WATCHDOG=1", receive(systemd));

    // And when Vigil stops, STOPPING=1 arrives among the pings
    notifier.stopping();
    String message;
    do {
      message = receive(systemd);
    } while (message.equals("WATCHDOG=1"));
    assertEquals("STOPPING=1", message);
  }

  @Test
  void watchdogPingsEveryHalfWatchdogUsecWhileTheLoopAnswers() throws IOException {
    // Given a control loop that answers at once
    String socket = dir.resolve("notify").toString();
    UnixDatagramSocket systemd = listen(socket, WAIT);
    AtomicInteger heartbeats = new AtomicInteger();
    SystemdNotifier notifier = notifier(Map.of("NOTIFY_SOCKET", socket,
        "WATCHDOG_USEC", WATCHDOG_USEC));

    // When the watchdog runs
    long start = System.nanoTime();
    notifier.startWatchdog(() -> {
      heartbeats.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    });

    // Then a ping per beat: three take about 200 ms (the first beat is immediate)
    for (int i = 0; i < 3; i++) {
      assertEquals("WATCHDOG=1", receive(systemd));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(Duration.ofMillis(150)) >= 0, "3 pings after " + took);
    assertTrue(heartbeats.get() >= 3, heartbeats + " heartbeats");
    assertTrue(notifier.watchdogRunning());

    // And close stops it
    notifier.close();
    assertTrue(!notifier.watchdogRunning());
  }

  @Test
  void stuckControlLoopGetsNoPing() throws IOException {
    // Given a control loop that never answers, and "systemd" waiting 6 beats for a ping
    String socket = "@vigil-it-" + UUID.randomUUID();
    UnixDatagramSocket systemd = listen(socket, Duration.ofMillis(600));
    AtomicInteger heartbeats = new AtomicInteger();
    SystemdNotifier notifier = notifier(Map.of("NOTIFY_SOCKET", socket,
        "WATCHDOG_USEC", WATCHDOG_USEC, "WATCHDOG_PID", PID));

    // When the watchdog runs
    notifier.startWatchdog(() -> {
      heartbeats.incrementAndGet();
      return new CompletableFuture<>();
    });

    // Then nothing arrives, and the stuck loop was asked once, not once per beat
    Optional<byte[]> got = systemd.receive(4096);
    assertTrue(got.isEmpty(), () -> "unexpected " + text(got.get()));
    assertEquals(1, heartbeats.get());
  }

  @Test
  void unreachableSystemdIsLoggedOnceAndNeverThrown() {
    // Given NOTIFY_SOCKET naming a socket nobody listens on
    SystemdNotifier notifier =
        notifier(Map.of("NOTIFY_SOCKET", dir.resolve("nobody").toString()));
    List<LogRecord> warnings = new ArrayList<>();
    Logger log = Logger.getLogger(NotifySocket.class.getName());
    Handler handler = recordWarnings(warnings);
    log.addHandler(handler);
    try {
      // When Vigil sends three messages
      assertDoesNotThrow(() -> {
        notifier.ready("supervising 1 services");
        notifier.status("x");
        notifier.stopping();
      });
    } finally {
      log.removeHandler(handler);
    }

    // Then one warning names the socket and the errno
    assertEquals(1, warnings.size(), warnings.toString());
    String message = warnings.get(0).getMessage();
    assertTrue(message.startsWith("cannot notify systemd at NOTIFY_SOCKET="
        + dir.resolve("nobody") + " (READY=1 ...): java.io.IOException: sendto("), message);
    assertTrue(message.contains("(errno 2)"), message); // ENOENT
  }

  @Test
  void closedNotifierSendsNothing() throws IOException {
    String socket = "@vigil-it-" + UUID.randomUUID();
    UnixDatagramSocket systemd = listen(socket, Duration.ofMillis(300));
    SystemdNotifier notifier = notifier(Map.of("NOTIFY_SOCKET", socket));
    notifier.close();
    notifier.ready("too late");
    assertTrue(systemd.receive(4096).isEmpty());
  }

  // ---------------------------------------------------------------- helpers

  private UnixDatagramSocket listen(String name, Duration timeout) throws IOException {
    UnixDatagramSocket socket = UnixDatagramSocket.open();
    resources.add(socket);
    socket.bind(UnixAddress.parse(name));
    socket.receiveTimeout(timeout);
    return socket;
  }

  private SystemdNotifier notifier(Map<String, String> env) {
    SystemdNotifier notifier = SystemdNotifier.fromEnvironment(env);
    resources.add(0, notifier); // closed before the sockets
    return notifier;
  }

  private static String receive(UnixDatagramSocket socket) throws IOException {
    return socket.receive(4096).map(SystemdNotifyIT::text)
        .orElseGet(() -> fail("no message within the receive timeout"));
  }

  private static String text(byte[] datagram) {
    return new String(datagram, StandardCharsets.UTF_8);
  }

  private static Handler recordWarnings(List<LogRecord> into) {
    return new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
          into.add(r);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}

package io.vigil.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.time.FakeTicker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Messages and environment handling, without sockets or threads. */
class SystemdNotifierTest {
  private static final long OUR_PID = 4242;

  private final FakeTicker ticker = new FakeTicker();
  private final RecordingSink systemd = new RecordingSink();

  @Test
  void messagesAreSdNotifyAssignments() {
    // Given a notifier writing to a recording sink
    try (SystemdNotifier notifier = new SystemdNotifier(systemd, 0, ticker)) {
      // When Vigil reports readiness, a status and its stop
      notifier.ready("supervising 2 services");
      notifier.status("reloading");
      notifier.stopping();
    }

    // Then each is one datagram of KEY=value lines, and close closed the sink
    assertEquals(List.of("READY=1\nSTATUS=supervising 2 services", "STATUS=reloading",
        "STOPPING=1"), systemd.sent());
    assertTrue(systemd.closed());
  }

  @Test
  void statusIsKeptOnOneLine() {
    // A newline would make the rest of a status a KEY=value assignment of its own.
    try (SystemdNotifier notifier = new SystemdNotifier(systemd, 0, ticker)) {
      notifier.status("two\nlines\r\nWATCHDOG=1");
    }
    assertEquals(List.of("STATUS=two lines  WATCHDOG=1"), systemd.sent());
  }

  @Test
  void withoutNotifySocketEverythingIsANoOp() {
    // Given the environment of a Vigil started from a shell
    SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC",
        "30000000"), OUR_PID, ticker);

    // When every method is called
    notifier.ready("supervising 1 services");
    notifier.status("x");
    notifier.stopping();
    notifier.startWatchdog(CompletableFuture::new);

    // Then nothing is sent and no watchdog thread runs
    assertFalse(notifier.enabled());
    assertFalse(notifier.watchdogRunning());
    notifier.close();
  }

  @Test
  void emptyOrUnusableNotifySocketIsANoOp() {
    for (String socket : List.of("", "relative/notify", "vsock:2:1234")) {
      SystemdNotifier notifier =
          SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket), OUR_PID, ticker);
      assertFalse(notifier.enabled(), socket);
      notifier.close();
    }
  }

  @Test
  void notifySocketEnablesTheNotifierWithoutOpeningAnythingYet() {
    // The socket is opened at the first message, so this touches no file descriptor.
    SystemdNotifier notifier = SystemdNotifier.fromEnvironment(
        Map.of("NOTIFY_SOCKET", "/run/systemd/notify"), OUR_PID, ticker);
    assertTrue(notifier.enabled());
    notifier.close();
  }

  @Test
  void watchdogIntervalIsHalfOfWatchdogUsecForThisProcessOnly() {
    record Case(String usec, String pid, Duration interval) {}
    List<Case> cases = List.of(
        new Case(null, null, Duration.ZERO), // no WatchdogSec=
        new Case("30000000", null, Duration.ofSeconds(15)),
        new Case("30000000", "4242", Duration.ofSeconds(15)),
        new Case("30000000", "", Duration.ofSeconds(15)),
        // Meant for another process, e.g. inherited from a parent that was watched itself.
        new Case("30000000", "1", Duration.ZERO),
        new Case("200000", null, Duration.ofMillis(100)),
        new Case("", null, Duration.ZERO),
        new Case("0", null, Duration.ZERO),
        new Case("-5", null, Duration.ZERO),
        new Case("30s", null, Duration.ZERO));
    for (Case c : cases) {
      Map<String, String> env = new HashMap<>();
      if (c.usec != null) {
        env.put("WATCHDOG_USEC", c.usec);
      }
      if (c.pid != null) {
        env.put("WATCHDOG_PID", c.pid);
      }
      assertEquals(c.interval.toNanos(), SystemdNotifier.watchdogInterval(env, OUR_PID),
          c.toString());
    }
  }

  @Test
  void noWatchdogThreadWhenSystemdSetNoWatchdog() {
    try (SystemdNotifier notifier = new SystemdNotifier(systemd, 0, ticker)) {
      notifier.startWatchdog(CompletableFuture::new);
      assertFalse(notifier.watchdogRunning());
    }
  }

  @Test
  void closeIsIdempotentAndStopsLaterWatchdogStarts() {
    SystemdNotifier notifier = new SystemdNotifier(systemd, Duration.ofSeconds(15).toNanos(),
        ticker);
    notifier.close();
    notifier.close();
    notifier.startWatchdog(CompletableFuture::new);
    assertFalse(notifier.watchdogRunning());
  }
}

package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import io.vigil.probe.check.CheckTarget;
import io.vigil.probe.check.Checkers;
import io.vigil.probe.check.FakeAgent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TCP checks against real sockets on 127.0.0.1. */
@Timeout(20)
class TcpCheckIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final CheckSpec.Tcp INSTANCE_PORT = new CheckSpec.Tcp(OptionalInt.empty());

  private final Checkers checkers = new Checkers(new FakeAgent());

  @AfterEach
  void close() {
    checkers.close();
  }

  @Test
  void openPortIsSuccess() throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CheckTarget target = HttpCheckIT.target(listener.getLocalPort());
      CheckOutcome outcome = checkers.check(INSTANCE_PORT, target, TIMEOUT).join();

      assertEquals(CheckOutcome.success("connected"), outcome);
    }
  }

  @Test
  void closedPortIsFailure() throws IOException {
    CheckOutcome outcome =
        checkers.check(INSTANCE_PORT, HttpCheckIT.target(HttpCheckIT.closedPort()), TIMEOUT).join();

    assertEquals(CheckOutcome.failure("connect: connection refused"), outcome);
  }

  @Test
  void manyConcurrentChecksShareOneThread() throws IOException {
    // Given
    try (ServerSocket listener = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress())) {
      List<CompletableFuture<CheckOutcome>> checks = new ArrayList<>();

      // When
      for (int i = 0; i < 300; i++) {
        checks.add(
            checkers.check(INSTANCE_PORT, HttpCheckIT.target(listener.getLocalPort()), TIMEOUT));
      }

      // Then
      for (CompletableFuture<CheckOutcome> check : checks) {
        assertEquals(CheckOutcome.success("connected"), check.join());
      }
      long probeThreads =
          Thread.getAllStackTraces().keySet().stream()
              .filter(thread -> thread.getName().equals("vigil-probe"))
              .count();
      assertEquals(1, probeThreads);
    }
  }
}

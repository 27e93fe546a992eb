package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.instance.InstanceId;
import io.vigil.lb.Protocol;
import io.vigil.lb.netty.Endpoint;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** protocol = tcp: connections are balanced and bytes piped both ways. */
class LbTcpIT {
  private final LbFixture lb = new LbFixture();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void close() throws Exception {
    lb.close();
    threads.shutdownNow();
  }

  /** An echo server that prefixes every answer with its name; counts its connections. */
  private Endpoint echo(int index, AtomicInteger connections) throws Exception {
    ServerSocket server = new ServerSocket(0);
    threads.submit(() -> {
      try (server) {
        while (true) {
          Socket s = server.accept();
          connections.incrementAndGet();
          threads.submit(() -> {
            try (s) {
              InputStream in = s.getInputStream();
              OutputStream out = s.getOutputStream();
              byte[] buffer = new byte[8192];
              for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(("web/" + index + ":").getBytes(StandardCharsets.UTF_8));
                out.write(buffer, 0, n);
                out.flush();
              }
            } catch (Exception e) {
              // the client went away
            }
            return null;
          });
        }
      } catch (Exception e) {
        return null; // closed at the end of the test
      }
    });
    return new Endpoint(new InstanceId(LbFixture.SERVICE, index), "127.0.0.1",
        server.getLocalPort());
  }

  private static String roundTrip(int port, String text) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      // "web/N:" and the text, maybe in two reads
      byte[] answer = s.getInputStream().readNBytes(6 + text.length());
      return new String(answer, StandardCharsets.UTF_8);
    }
  }

  @Test
  void bytesArePipedAndARefusedInstanceIsFailedOver() throws Exception {
    // Given a TCP load balancer over a refusing instance and an echo server
    AtomicInteger connections = new AtomicInteger();
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.protocol = Protocol.TCP;
    int port = lb.start(spec);
    lb.endpoints(LbFixture.refusing(0), echo(1, connections));

    // When 20 clients connect and write / Then every one is answered by web/1
    for (int i = 0; i < 20; i++) {
      assertEquals("web/1:hello " + i, roundTrip(port, "hello " + i));
    }
    assertEquals(20, connections.get());
  }

  @Test
  void connectionsAreSpreadAndCountedInFlightUntilTheyClose() throws Exception {
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.protocol = Protocol.TCP;
    int port = lb.start(spec);
    lb.endpoints(echo(0, a), echo(1, b));

    // When one connection stays open / Then it counts in flight to its instance
    try (Socket open = new Socket("127.0.0.1", port)) {
      open.getOutputStream().write('x');
      open.getInputStream().read(new byte[16]);
      assertEquals(1, lb.lbs.state(LbFixture.SERVICE).stream().mapToInt(s -> s.inFlight()).sum());
      for (int i = 0; i < 20; i++) {
        roundTrip(port, "y");
      }
    }
    LbFixture.await(Duration.ofSeconds(5), "connections closed", () ->
        lb.lbs.state(LbFixture.SERVICE).stream().mapToInt(s -> s.inFlight()).sum() == 0);
    // And both instances got connections
    assertTrue(a.get() > 0 && b.get() > 0, a + " / " + b);
  }

  @Test
  void noInstanceClosesTheConnection() throws Exception {
    LbFixture.Spec spec = new LbFixture.Spec();
    spec.protocol = Protocol.TCP;
    int port = lb.start(spec);
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      assertEquals(-1, s.getInputStream().read());
    }
  }
}

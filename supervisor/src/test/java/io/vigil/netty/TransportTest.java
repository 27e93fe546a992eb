package io.vigil.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TransportTest {

  @Test
  void linuxX86UsesTheNativeEpollTransport() {
    // Given: the one platform whose native library the build ships
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")));

    // When
    Transport transport = Transport.detect();

    // Then
    assertEquals("epoll", transport.name());
    assertEquals("io.netty.channel.epoll.EpollSocketChannel", transport.channel().getName());
  }

  @Test
  void nioIsTheFallback() {
    assertEquals(NioSocketChannel.class, Transport.nio().channel());
  }
}

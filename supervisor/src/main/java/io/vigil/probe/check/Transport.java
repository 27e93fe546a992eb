package io.vigil.probe.check;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.lang.System.Logger.Level;

/**
 * The socket transport of the probe loop: native epoll when it loads, else the JDK's NIO.
 *
 * <p>The epoll classes are reached by name because the Netty BOM gives the native transport
 * runtime scope, so they are not on the compile classpath; NIO is the fallback on other systems
 * or when the native library cannot be loaded.
 */
record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends SocketChannel> channel) {
  private static final System.Logger LOG = System.getLogger(Transport.class.getName());
  private static final String EPOLL = "io.netty.channel.epoll.";

  static Transport detect() {
    try {
      if ((boolean) Class.forName(EPOLL + "Epoll").getMethod("isAvailable").invoke(null)) {
        Object ioHandlers =
            Class.forName(EPOLL + "EpollIoHandler").getMethod("newFactory").invoke(null);
        return new Transport(
            "epoll",
            (IoHandlerFactory) ioHandlers,
            Class.forName(EPOLL + "EpollSocketChannel").asSubclass(SocketChannel.class));
      }
      LOG.log(Level.DEBUG, "epoll not available, probes use NIO");
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      LOG.log(Level.DEBUG, "epoll transport could not be loaded, probes use NIO", e);
    }
    return nio();
  }

  static Transport nio() {
    return new Transport("NIO", NioIoHandler.newFactory(), NioSocketChannel.class);
  }
}

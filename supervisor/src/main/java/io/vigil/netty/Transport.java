package io.vigil.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket transport of every Vigil event loop (probes, metrics, load balancers): native epoll
 * when its library loads (Linux), else the JDK's NIO.
 */
public record Transport(String name, IoHandlerFactory ioHandlers,
    Class<? extends ServerSocketChannel> serverChannel, Class<? extends SocketChannel> channel) {

  public static Transport detect() {
    if (Epoll.isAvailable()) {
      return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
          EpollSocketChannel.class);
    }
    System.getLogger(Transport.class.getName()).log(System.Logger.Level.DEBUG,
        "epoll not available, Vigil's event loops use NIO", Epoll.unavailabilityCause());
    return nio();
  }

  public static Transport nio() {
    return new Transport("NIO", NioIoHandler.newFactory(), NioServerSocketChannel.class,
        NioSocketChannel.class);
  }
}

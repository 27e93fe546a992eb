package io.vigil.lb.netty;

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

/** Native epoll when its library loads (Linux), else the JDK's NIO. */
record Transport(String name, IoHandlerFactory ioHandlers,
    Class<? extends ServerSocketChannel> serverChannel, Class<? extends SocketChannel> channel) {

  static Transport detect() {
    if (Epoll.isAvailable()) {
      return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
          EpollSocketChannel.class);
    }
    System.getLogger(Transport.class.getName()).log(System.Logger.Level.DEBUG,
        "epoll not available, the load balancer uses NIO", Epoll.unavailabilityCause());
    return nio();
  }

  static Transport nio() {
    return new Transport("NIO", NioIoHandler.newFactory(), NioServerSocketChannel.class,
        NioSocketChannel.class);
  }
}

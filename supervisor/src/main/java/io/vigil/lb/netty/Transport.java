package io.vigil.lb.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
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
 * Native epoll when its library loads (Linux), else the JDK's NIO; the buffers come from Netty's
 * pooled allocator either way.
 */
public record Transport(String name, IoHandlerFactory ioHandlers,
    Class<? extends ServerSocketChannel> serverChannel, Class<? extends SocketChannel> channel) {
  /**
   * Each event loop takes a request's and a response's buffers from its own thread cache, where
   * Netty 4.2's default (adaptive) allocator goes through queues shared by the threads: 1.4 µs
   * less CPU per request and 5 % more requests per second in an A/B (docs/performance-lb.md).
   */
  static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

  public static Transport detect() {
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

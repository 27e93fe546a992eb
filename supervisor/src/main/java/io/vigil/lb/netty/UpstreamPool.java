package io.vigil.lb.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.vigil.instance.InstanceId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Idle keep-alive connections to the instances of one service, kept per event loop so that a
 * client connection reuses a connection served by its own loop (no hand-off between threads).
 * The inner maps are touched only on their own loop; at most {@link #MAX_IDLE} idle connections
 * per instance and loop are kept, the most recently used first (the others time out).
 */
final class UpstreamPool {
  static final int MAX_IDLE = 64;

  private final Map<EventLoop, Map<InstanceId, ArrayDeque<Channel>>> idle =
      new ConcurrentHashMap<>();

  /** An idle, open connection to {@code id} on {@code loop}, or null. Call on {@code loop}. */
  Channel poll(EventLoop loop, InstanceId id) {
    ArrayDeque<Channel> channels = of(loop).get(id);
    while (channels != null && !channels.isEmpty()) {
      Channel channel = channels.pollFirst();
      if (channel.isActive()) {
        return channel;
      }
    }
    return null;
  }

  /** Keeps {@code channel} for reuse; false if there is no room (the caller closes it). */
  boolean offer(EventLoop loop, InstanceId id, Channel channel) {
    ArrayDeque<Channel> channels = of(loop).computeIfAbsent(id, unused -> new ArrayDeque<>());
    if (channels.size() >= MAX_IDLE || !channel.isActive()) {
      return false;
    }
    channels.addFirst(channel);
    return true;
  }

  /** Forgets a pooled connection that closed. Call on {@code loop}. */
  void remove(EventLoop loop, InstanceId id, Channel channel) {
    ArrayDeque<Channel> channels = of(loop).get(id);
    if (channels != null) {
      channels.remove(channel);
    }
  }

  /** Closes the idle connections to {@code id} on every loop; from any thread. */
  void closeIdle(InstanceId id) {
    idle.forEach((loop, byInstance) -> loop.execute(() -> {
      ArrayDeque<Channel> channels = byInstance.remove(id);
      if (channels != null) {
        channels.forEach(Channel::close);
      }
    }));
  }

  /** Closes every idle connection; from any thread. */
  void closeAll() {
    idle.forEach((loop, byInstance) -> loop.execute(() -> {
      byInstance.values().forEach(channels -> channels.forEach(Channel::close));
      byInstance.clear();
    }));
  }

  private Map<InstanceId, ArrayDeque<Channel>> of(EventLoop loop) {
    return idle.computeIfAbsent(loop, unused -> new HashMap<>());
  }
}

package io.vigil.netty;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ThreadFactory;

/** Threads for a single-threaded Netty event loop, named plainly so thread lists read well. */
public final class LoopThreads {
  private LoopThreads() {}

  /**
   * Netty's factory (daemon, FastThreadLocalThread) but every thread called {@code name}, not
   * {@code name-1-1}: for a group of one loop, such as {@code vigil-probe} or {@code vigil-metrics}.
   */
  public static ThreadFactory named(String name) {
    return new DefaultThreadFactory(name, true) {
      @Override
      protected Thread newThread(Runnable task, String ignoredName) {
        return super.newThread(task, name);
      }
    };
  }
}

package io.vigil.control;

import java.util.concurrent.ThreadFactory;

/** Named daemon threads, so that a thread dump says whose each one is. */
final class DaemonThreads {
  private DaemonThreads() {}

  static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}

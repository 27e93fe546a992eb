package io.vigil.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT trigger an orderly stop. A JVM shutdown hook would not do: the JVM then
 * exits with 143/130, and systemd and users expect 0 after a clean stop.
 */
final class ShutdownSignals {
  private ShutdownSignals() {}

  static void onTermOrInt(Runnable action) {
    Signal.handle(new Signal("TERM"), s -> action.run());
    Signal.handle(new Signal("INT"), s -> action.run());
  }

  /** SIGHUP, as for most daemons, re-reads the configuration. */
  static void onHup(Runnable action) {
    Signal.handle(new Signal("HUP"), s -> action.run());
  }
}

package io.vigil.lb.netty;

import io.netty.util.ResourceLeakDetector;

/**
 * Turns Netty's buffer leak detector off for the daemon unless the user chose a level. At its
 * default level it records a stack trace for one buffer in 128, twice; issue 4 measured that at
 * 6 to 12 % of the load balancer's CPU per request. It is a JVM-wide setting, made here so that
 * every way of running Vigil (bin/vigil, the systemd unit, plain java -jar) gets it; the test
 * suite sets the level (paranoid) to catch leaks.
 */
final class LeakDetection {
  /** Netty's property, and the name it still reads from older versions. */
  static final String LEVEL = "io.netty.leakDetection.level";
  static final String LEGACY_LEVEL = "io.netty.leakDetectionLevel";

  private LeakDetection() {}

  static void offUnlessConfigured() {
    if (System.getProperty(LEVEL) == null && System.getProperty(LEGACY_LEVEL) == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }
}

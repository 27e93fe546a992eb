package io.vigil.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** One-line log records on stderr: time, level, logger, message (and a trace only for bugs). */
final class Logging {
  /**
   * java.util.logging holds loggers weakly: a level set on one that is then collected is lost.
   * These stay referenced for the life of the JVM.
   */
  private static final List<Logger> QUIETED = new ArrayList<>();

  private Logging() {}

  static void configure() {
    System.setProperty("java.util.logging.SimpleFormatter.format",
        "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(new SimpleFormatter());
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    // Jersey and Grizzly (org.glassfish) announce every start at INFO; Vigil logs the API
    // address itself.
    for (String name : List.of("io.netty", "oshi", "org.glassfish")) {
      Logger logger = Logger.getLogger(name);
      logger.setLevel(Level.WARNING);
      QUIETED.add(logger);
    }
  }
}

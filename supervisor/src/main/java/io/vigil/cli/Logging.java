package io.vigil.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** One-line log records on stderr: time, level, logger, message (and a trace only for bugs). */
final class Logging {
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
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
    Logger.getLogger("oshi").setLevel(Level.WARNING);
  }
}

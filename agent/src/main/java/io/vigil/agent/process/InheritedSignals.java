package io.vigil.agent.process;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The signals Vigil's own process ignores, which every instance would inherit: a shell's {@code
 * vigil run &} ignores SIGINT (and SIGQUIT, which the JVM catches for its thread dumps), {@code
 * nohup} SIGHUP, and an ignored signal stays ignored across fork and exec. Then a stop signal of
 * INT, or a reload by HUP, would do nothing. Vigil starts instances with those standard signals
 * (1 to 31) back at their defaults, by putting {@code env --default-signal=...} (coreutils 8.31 or
 * later) in front of the command when there is anything to reset. Read when the agent starts.
 * Exec probes are not changed: they are killed with SIGKILL on timeout whatever they ignore.
 */
final class InheritedSignals {
  private static final Logger LOG = System.getLogger(InheritedSignals.class.getName());
  private static final Path STATUS = Path.of("/proc/self/status");
  /** The standard signals; above them glibc reserves a few for itself, and nothing is reset. */
  private static final int LAST_STANDARD = 31;

  private InheritedSignals() {}

  /**
   * The standard signals this process ignores, if {@code env} can reset them for instances; else
   * none, with a warning that says what instances will inherit.
   */
  static List<Integer> toReset(ChildReaper reaper) {
    List<Integer> ignored;
    try {
      ignored = ignored(Files.readAllLines(STATUS));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot read " + STATUS + " (" + e.getMessage()
          + "): instances inherit whatever signals Vigil ignores");
      return List.of();
    }
    if (ignored.isEmpty()) {
      return ignored;
    }
    if (!envCanReset(ignored, reaper)) {
      LOG.log(Level.WARNING, "Vigil was started with signals " + ignored + " ignored (a shell's"
          + " '&' or nohup), and " + LaunchCommand.ENV + " cannot reset them (coreutils 8.31 or"
          + " later can): instances inherit them, so stop or reload signals among them do"
          + " nothing; start Vigil under systemd or without '&'/nohup");
      return List.of();
    }
    LOG.log(Level.INFO, "Vigil was started with signals " + ignored + " ignored (a shell's '&'"
        + " or nohup), so Vigil itself ignores them (SIGINT or SIGHUP then do nothing to it); its"
        + " instances get them back at their defaults");
    return ignored;
  }

  /** The standard signals the {@code SigIgn:} mask of a /proc status file has ignored. */
  static List<Integer> ignored(List<String> statusLines) {
    for (String line : statusLines) {
      if (line.startsWith("SigIgn:")) {
        long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
        List<Integer> signals = new ArrayList<>();
        for (int signal = 1; signal <= LAST_STANDARD; signal++) {
          if ((mask & (1L << (signal - 1))) != 0) {
            signals.add(signal);
          }
        }
        return signals;
      }
    }
    throw new IllegalArgumentException("no SigIgn line");
  }

  /** Runs {@code env --default-signal=... true}, registered with the reaper as every child is. */
  private static boolean envCanReset(List<Integer> signals, ChildReaper reaper) {
    List<String> probe = new ArrayList<>(LaunchCommand.resetSignals(signals));
    probe.add("true");
    try {
      Process env = reaper.start(new ProcessBuilder(probe).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD));
      if (!env.waitFor(5, TimeUnit.SECONDS)) {
        env.destroyForcibly();
        return false;
      }
      return env.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

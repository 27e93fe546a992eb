package io.vigil.agent;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The POSIX signals Vigil may send, with their Linux numbers. */
public enum Signal {
  HUP(1), INT(2), QUIT(3), KILL(9), USR1(10), USR2(12), TERM(15), CONT(18), STOP(19), WINCH(28);

  private final int number;

  Signal(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  /** Accepts "TERM", "SIGTERM" and lower case; empty if the name is not a known signal. */
  public static Optional<Signal> parse(String name) {
    String upper = name.trim().toUpperCase(Locale.ROOT);
    String bare = upper.startsWith("SIG") ? upper.substring(3) : upper;
    return Arrays.stream(values()).filter(s -> s.name().equals(bare)).findFirst();
  }

  public static Optional<Signal> ofNumber(int number) {
    return Arrays.stream(values()).filter(s -> s.number == number).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(s -> "SIG" + s.name()).toList();
  }
}

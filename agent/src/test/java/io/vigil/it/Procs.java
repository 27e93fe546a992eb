package io.vigil.it;

import io.vigil.agent.process.ProcStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** What /proc says about processes, and waiting for files that a child writes. */
final class Procs {

  static final long SELF = ProcessHandle.current().pid();

  private Procs() {}

  static List<ProcStat> all() {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .map(p -> p.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .map(name -> ProcStat.read(Long.parseLong(name)))
          .flatMap(Optional::stream)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every process in group {@code pgid}, zombies included. */
  static List<ProcStat> groupMembers(long pgid) {
    return all().stream().filter(s -> s.pgrp() == pgid).toList();
  }

  /** Zombies whose parent is this JVM: nobody but the agent would ever reap them. */
  static List<ProcStat> zombieChildren() {
    return all().stream().filter(s -> s.ppid() == SELF && s.zombie()).toList();
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until a child has written a full line to {@code file}; returns the first line. */
  static String awaitLine(Path file, Duration timeout) {
    await(() -> read(file).contains("\n"), timeout, "a line in " + file);
    return read(file).lines().findFirst().orElseThrow();
  }

  /**
   * Polls for a condition that only a child process can make true (there is no event for "the
   * child wrote a file"); the timeout bounds the test, the 10 ms poll keeps it fast.
   */
  static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}

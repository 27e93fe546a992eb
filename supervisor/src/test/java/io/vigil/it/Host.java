package io.vigil.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Facts about processes read straight from /proc, for assertions. */
final class Host {
  private Host() {}

  static boolean alive(long pid) {
    return state(pid).map(s -> !s.equals("Z")).orElse(false);
  }

  static Optional<String> state(long pid) {
    return field(pid, 0);
  }

  static Optional<Long> pgid(long pid) {
    return field(pid, 2).map(Long::parseLong);
  }

  static Optional<Long> ppid(long pid) {
    return field(pid, 1).map(Long::parseLong);
  }

  /** Field n after the command name of /proc/PID/stat (0 = state, 1 = ppid, 2 = pgrp). */
  private static Optional<String> field(long pid, int n) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(rest[n]);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Pids of every process (zombies included) in a process group. */
  static List<Long> groupMembers(long pgid) {
    List<Long> result = new ArrayList<>();
    for (long pid : allPids()) {
      if (pgid(pid).orElse(-1L) == pgid) {
        result.add(pid);
      }
    }
    return result;
  }

  /** Zombie children of a process. */
  static List<Long> zombieChildren(long parent) {
    List<Long> result = new ArrayList<>();
    for (long pid : allPids()) {
      if (ppid(pid).orElse(-1L) == parent && state(pid).orElse("").equals("Z")) {
        result.add(pid);
      }
    }
    return result;
  }

  static List<Long> allPids() {
    List<Long> pids = new ArrayList<>();
    try (var dirs = Files.list(Path.of("/proc"))) {
      dirs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
          .forEach(n -> pids.add(Long.parseLong(n)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return pids;
  }

  static void killGroup(long pgid) {
    try {
      new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void signal(long pid, String signal) {
    try {
      int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
          .waitFor();
      if (rc != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Polls a condition (real processes, real time) until true or the deadline. */
  static boolean eventually(java.time.Duration timeout, java.util.function.BooleanSupplier test) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (test.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return test.getAsBoolean();
  }

  /**
   * A port P on 127.0.0.1 with P + 1 free as well (both bound at once, then released): for a
   * service of two instances, which listen on {@code port} and {@code port + 1}. A port from
   * {@link #freePort} alone says nothing about the next one.
   */
  static int freePortPair() {
    java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 100; attempt++) {
      try (java.net.ServerSocket first = new java.net.ServerSocket(0, 1, loopback)) {
        int port = first.getLocalPort();
        if (port >= 65535) {
          continue;
        }
        try (java.net.ServerSocket second = new java.net.ServerSocket(port + 1, 1, loopback)) {
          return port;
        } catch (IOException taken) {
          // port + 1 is in use: try another pair
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("no two adjacent free ports on 127.0.0.1 in 100 tries");
  }

  /** A free ephemeral port on 127.0.0.1 (bound, read, released). */
  static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

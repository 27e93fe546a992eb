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
   * service of two instances, which listen on {@code port} and {@code port + 1}.
   */
  static int freePortPair() {
    return freePorts(2);
  }

  /** A free port on 127.0.0.1 (bound, then released) for a listener the test starts later. */
  static int freePort() {
    return freePorts(1);
  }

  /**
   * The first of {@code count} adjacent free ports. They are taken below the kernel's ephemeral
   * range when it leaves room: a port released by the test stays free there, where a port from
   * bind(0) could be taken again, before the test's listener binds it, by any bind(0) or outgoing
   * connection of the processes under test (Vigil's own listeners on port 0, its probes).
   */
  private static int freePorts(int count) {
    int[] range = belowEphemeral();
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = range == null ? 0 : random.nextInt(range[0], range[1] - count + 2);
      Integer bound = bindAll(port, count);
      if (bound != null) {
        return bound;
      }
    }
    throw new IllegalStateException("no " + count + " adjacent free ports on 127.0.0.1");
  }

  /** Binds {@code count} ports from {@code first} (0: any) at once; the first, or null if taken. */
  private static Integer bindAll(int first, int count) {
    java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
    List<java.net.ServerSocket> sockets = new ArrayList<>();
    try {
      java.net.ServerSocket s = new java.net.ServerSocket(first, 1, loopback);
      sockets.add(s);
      int port = s.getLocalPort();
      for (int i = 1; i < count; i++) {
        sockets.add(new java.net.ServerSocket(port + i, 1, loopback));
      }
      return port;
    } catch (IOException taken) {
      return null;
    } finally {
      for (java.net.ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a listener that never accepted
        }
      }
    }
  }

  /** [low, high] under /proc/sys/net/ipv4/ip_local_port_range, or null if there is no room. */
  private static int[] belowEphemeral() {
    try {
      String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
          .trim().split("\\s+");
      int high = Integer.parseInt(range[0]) - 2;
      int low = Math.max(10_000, high - 10_000);
      return high - low >= 1_000 ? new int[] {low, high} : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}

package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.ExitStatus;
import io.vigil.agent.LaunchException;
import io.vigil.agent.RunningProcess;
import io.vigil.agent.Signal;
import io.vigil.agent.process.ProcStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances are the JVM's children without being the JDK's: no JDK reaper thread per instance,
 * and the agent collects their real wait status itself.
 */
class DetachedLaunchIT {

  private static final Duration READY = Duration.ofSeconds(5);

  private static Fixture fixture;

  @TempDir Path dir;

  @BeforeAll
  static void startAgent() {
    fixture = new Fixture();
  }

  @AfterEach
  void killStarted() throws Exception {
    fixture.killAll();
  }

  @AfterAll
  static void closeAgent() {
    fixture.close();
  }

  private RunningProcess launch(String... command) throws LaunchException {
    return fixture.launch(Fixture.spec(dir, List.of(command), Map.of(), Optional.empty()));
  }

  private static ExitStatus exitOf(RunningProcess process) throws Exception {
    return process.onExit().get(5, TimeUnit.SECONDS);
  }

  /** fd number -> what it points to; a descriptor closed while listing is left out. */
  private static Map<String, String> openFiles(long pid) {
    Map<String, String> fds = new TreeMap<>();
    try (var links = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path link : links.toList()) {
        try {
          fds.put(link.getFileName().toString(), Files.readSymbolicLink(link).toString());
        } catch (IOException closed) {
          // closed between the listing and the read
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fds;
  }

  /** Empty when the process is gone. */
  private static String cmdline(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
    } catch (IOException e) {
      return "";
    }
  }

  /** The JDK names each of its per-child waiting threads so (JDK 17: "process reaper"). */
  private static long reaperThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("process reaper"))
        .count();
  }

  @Test
  void twentyInstancesAreChildrenOfTheJvmWithoutAJdkThreadEach() throws Exception {
    // Given
    long reapersBefore = reaperThreads();
    long[] launchNanos = new long[20];
    List<RunningProcess> instances = new ArrayList<>();

    // When
    for (int i = 0; i < launchNanos.length; i++) {
      long start = System.nanoTime();
      instances.add(launch("sleep", "300"));
      launchNanos[i] = System.nanoTime() - start;
    }

    // Then: re-parented to the JVM, running, and the JDK waits for none of them. A JDK child
    // keeps a reaper thread blocked in waitpid while it runs (that was one per instance); the
    // short-lived helpers' threads are idle again, and reused, by the next launch.
    long reapersAfter = reaperThreads();
    Set<Long> children =
        ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    for (RunningProcess instance : instances) {
      long pid = instance.identity().pid();
      assertTrue(children.contains(pid), pid + " is a child of the JVM");
      assertEquals(pid, ProcStat.read(pid).orElseThrow().session());
      assertFalse(instance.onExit().isDone());
    }
    assertTrue(
        reapersAfter - reapersBefore <= 3,
        "JDK process reaper threads: " + reapersBefore + " before, " + reapersAfter + " after");
    Arrays.sort(launchNanos);
    System.out.printf(
        "DetachedLaunchIT: 20 launches, median %.2f ms, max %.2f ms; JDK process reaper"
            + " threads %d before, %d after%n",
        launchNanos[10] / 1e6, launchNanos[19] / 1e6, reapersBefore, reapersAfter);
  }

  @Test
  void exitCode137IsAnExitNotASignal() throws Exception {
    RunningProcess process = launch("sh", "-c", "exit 137");

    assertEquals(ExitStatus.exited(137), exitOf(process));
  }

  @Test
  void reportsTheSignalThatKilledTheInstance() throws Exception {
    // Given
    RunningProcess killed = launch("sleep", "300");
    RunningProcess terminated = launch("sleep", "300");

    // When: kill -9 and kill -TERM on the pid itself.
    ProcessHandle.of(killed.identity().pid()).orElseThrow().destroyForcibly();
    ProcessHandle.of(terminated.identity().pid()).orElseThrow().destroy();

    // Then
    assertEquals(ExitStatus.killed(9), exitOf(killed));
    assertEquals(ExitStatus.killed(15), exitOf(terminated));
  }

  @Test
  void leavesNoZombieOnceAnExitIsReported() throws Exception {
    // Given: instances that end at once.
    List<RunningProcess> instances = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      instances.add(launch("sh", "-c", "exit " + i));
    }

    // When
    for (int i = 0; i < instances.size(); i++) {
      assertEquals(ExitStatus.exited(i), exitOf(instances.get(i)));
    }

    // Then: reaped before the exit was reported, helpers included.
    assertEquals(List.of(), Procs.zombieChildren());
  }

  @Test
  void instanceHoldsOnlyDevNullAndItsLogsAndIgnoresNoSignal() throws Exception {
    // When
    RunningProcess process = launch("sleep", "300");
    long pid = process.identity().pid();
    Path comm = Path.of("/proc", Long.toString(pid), "comm");
    Procs.await(() -> Procs.read(comm).equals("sleep\n"), READY, "exec of sleep");

    // Then: argv as given, and no fd but these: not the report pipe, nor anything of the helper's.
    assertEquals("sleep\0" + "300\0", cmdline(pid));
    Map<String, String> expected = Map.of(
        "0", "/dev/null",
        "1", Fixture.out(dir).toAbsolutePath().toString(),
        "2", Fixture.err(dir).toAbsolutePath().toString());
    // The kernel renames the process before it closes the close-on-exec descriptors, and the
    // loader opens and closes files as sleep starts: exactly these, seen once, is the proof.
    Map<String, String> open = openFiles(pid);
    for (long deadline = System.nanoTime() + READY.toNanos();
        !open.equals(expected) && System.nanoTime() < deadline; open = openFiles(pid)) {
      Thread.sleep(10);
    }
    assertEquals(expected, open);
    // A shell's "cmd &" would have left SIGINT and SIGQUIT ignored: then INT would do nothing.
    long ignored =
        Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
            .filter(line -> line.startsWith("SigIgn:"))
            .mapToLong(line -> Long.parseUnsignedLong(line.substring(7).trim(), 16))
            .findFirst()
            .orElseThrow();
    long intAndQuit = (1L << (2 - 1)) | (1L << (3 - 1));
    assertEquals(0, ignored & intAndQuit, "ignored signals 0x" + Long.toHexString(ignored));
    fixture.agent.signalGroup(process.identity(), Signal.INT);
    assertEquals(ExitStatus.killed(2), exitOf(process));
  }

  @Test
  void runsACommandWhoseNameStartsWithADash() throws Exception {
    // Given
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path tool = bin.resolve("-tool");
    Files.writeString(tool, "#!/bin/sh\necho \"ran $1\"\n");
    assertTrue(tool.toFile().setExecutable(true));
    Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"));

    // When
    RunningProcess process =
        fixture.launch(Fixture.spec(dir, List.of("-tool", "x"), env, Optional.empty()));

    // Then
    assertEquals(ExitStatus.exited(0), exitOf(process));
    assertEquals("ran x\n", Files.readString(Fixture.out(dir)));
  }

  @Test
  void logFileThatCannotBeOpenedIsALaunchError() throws Exception {
    // Given: root may write anywhere, but no one can append to a directory.
    Files.createDirectories(Fixture.out(dir));

    // When
    LaunchException e = assertThrows(LaunchException.class, () -> launch("sleep", "300"));

    // Then: the shell's own words, and nothing left running or unreaped.
    assertTrue(e.getMessage().startsWith("cannot start [sleep, 300]: "), e.getMessage());
    assertTrue(e.getMessage().contains(Fixture.out(dir).toString()), e.getMessage());
    assertNull(e.getCause());
    Procs.await(
        () -> {
          fixture.agent.housekeeping();
          return Procs.zombieChildren().isEmpty();
        },
        READY,
        "the failed helper's child to be reaped");
    assertEquals(
        List.of(),
        Procs.all().stream()
            .filter(s -> cmdline(s.pid()).contains(dir + "/"))
            .toList(),
        "processes started for this launch");
  }

  @Test
  void environmentIsVigilsPlusTheSpecsWithNothingAddedByTheHelper() throws Exception {
    for (Map<String, String> env :
        List.of(Map.of("X", "1"), Map.of("X", "2", "PWD", "/somewhere else"))) {
      // Given: Vigil's own environment (less systemd's private variables) plus the spec's.
      Map<String, String> expected = new TreeMap<>(System.getenv());
      expected.keySet().removeAll(Set.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
          "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"));
      expected.putAll(env);
      Files.deleteIfExists(Fixture.out(dir));

      // When: the shell in the helper would have exported a PWD of its own.
      RunningProcess process =
          fixture.launch(Fixture.spec(dir, List.of("env", "-0"), env, Optional.empty()));

      // Then
      assertEquals(ExitStatus.exited(0), exitOf(process));
      Map<String, String> actual = new TreeMap<>();
      for (String entry : Files.readString(Fixture.out(dir)).split("\0")) {
        int eq = entry.indexOf('=');
        actual.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
      assertEquals(expected, actual);
    }
  }
}

package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.agent.ExitStatus;
import io.vigil.agent.LaunchException;
import io.vigil.agent.LaunchSpec;
import io.vigil.agent.RunningProcess;
import io.vigil.agent.Signal;
import io.vigil.agent.process.ProcStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchIT {

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

  private static ExitStatus exitOf(RunningProcess process) throws Exception {
    return process.onExit().get(5, TimeUnit.SECONDS);
  }

  @Test
  void serviceLeadsItsOwnSessionAndGroupUnderItsOwnPid() throws Exception {
    // When: no shell in between, so the pid must be sleep's own.
    RunningProcess process =
        fixture.launch(Fixture.spec(dir, List.of("sleep", "300"), Map.of(), Optional.empty()));

    // Then
    long pid = process.identity().pid();
    ProcStat stat = ProcStat.read(pid).orElseThrow();
    assertEquals(pid, stat.pgrp());
    assertEquals(pid, stat.session());
    assertEquals(Procs.SELF, stat.ppid());
    Path comm = Path.of("/proc", Long.toString(pid), "comm");
    Procs.await(() -> Procs.read(comm).equals("sleep\n"), Duration.ofSeconds(5), "exec of sleep");
    assertEquals(ProcStat.identityOf(pid).orElseThrow(), process.identity());
    assertFalse(process.adopted());
  }

  @Test
  void appendsStdoutAndStderrToLogFilesInACreatedDirectory() throws Exception {
    // Given: the log directory does not exist yet.
    assertFalse(Files.exists(dir.resolve("logs")));

    // When: two runs in a row.
    for (String n : List.of("1", "2")) {
      RunningProcess process =
          fixture.launch(
              Fixture.spec(
                  dir,
                  List.of("sh", "-c", "echo out-$N; echo err-$N >&2"),
                  Map.of("N", n),
                  Optional.empty()));
      assertEquals(ExitStatus.exited(0), exitOf(process));
    }

    // Then
    assertEquals("out-1\nout-2\n", Files.readString(Fixture.out(dir)));
    assertEquals("err-1\nerr-2\n", Files.readString(Fixture.err(dir)));
    assertEquals(
        List.of(Fixture.out(dir), Fixture.err(dir)),
        fixture.agent.logFiles(dir.resolve("logs"), "svc"));
  }

  @Test
  void runsInWorkingDirWithOverriddenEnvironmentAndNullStdin() throws Exception {
    // Given
    Path work = Files.createDirectories(dir.resolve("work"));
    String script = "pwd; echo \"$FOO\"; echo \"$PATH\"; readlink /proc/self/fd/0";

    // When
    RunningProcess process =
        fixture.launch(
            new LaunchSpec(
                List.of("sh", "-c", script),
                work,
                Map.of("FOO", "bar"),
                Optional.empty(),
                dir.resolve("logs"),
                "svc"));

    // Then
    assertEquals(ExitStatus.exited(0), exitOf(process));
    assertEquals(
        List.of(work.toString(), "bar", System.getenv("PATH"), "/dev/null"),
        Files.readAllLines(Fixture.out(dir)));
  }

  @Test
  void reportsExitCode() throws Exception {
    RunningProcess process = fixture.sh(dir, "exit 3");

    assertEquals(ExitStatus.exited(3), exitOf(process));
  }

  @Test
  void reportsKillingSignal() throws Exception {
    // Given
    RunningProcess process = fixture.sh(dir, "exec sleep 300");

    // When
    fixture.agent.signalGroup(process.identity(), Signal.KILL);

    // Then
    assertEquals(ExitStatus.killed(9), exitOf(process));
  }

  @Test
  void signallingAGoneGroupIsNotAnError() throws Exception {
    RunningProcess process = fixture.sh(dir, "exit 0");
    exitOf(process);

    fixture.agent.signalGroup(process.identity(), Signal.TERM);
  }

  @Test
  void missingWorkingDirectoryIsALaunchError() {
    Path missing = dir.resolve("missing");

    LaunchException e =
        assertThrows(
            LaunchException.class,
            () ->
                fixture.launch(
                    new LaunchSpec(
                        List.of("true"), missing, Map.of(), Optional.empty(), dir, "svc")));

    assertEquals("working directory " + missing + " does not exist", e.getMessage());
  }

  @Test
  void missingExecutableIsALaunchError() {
    LaunchException inPath =
        assertThrows(
            LaunchException.class,
            () ->
                fixture.launch(
                    Fixture.spec(dir, List.of("no-such-tool-x"), Map.of(), Optional.empty())));
    LaunchException relative =
        assertThrows(
            LaunchException.class,
            () ->
                fixture.launch(
                    Fixture.spec(dir, List.of("./bin/tool"), Map.of(), Optional.empty())));

    assertTrue(inPath.getMessage().startsWith("executable no-such-tool-x not found in PATH ("));
    assertTrue(relative.getMessage().startsWith("executable ./bin/tool not found"));
    assertNull(inPath.getCause());
  }

  @Test
  void dropsToTheConfiguredUserWhenRoot() throws Exception {
    // Given
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    String[] nobody = passwdEntry("nobody");

    // When
    RunningProcess process =
        fixture.launch(
            Fixture.spec(
                dir,
                List.of("sh", "-c", "id -u; id -g; echo \"$HOME\""),
                Map.of(),
                Optional.of("nobody")));

    // Then
    assertEquals(ExitStatus.exited(0), exitOf(process));
    assertEquals(
        List.of(nobody[2], nobody[3], nobody[5]), Files.readAllLines(Fixture.out(dir)));
  }

  @Test
  void unknownUserIsALaunchError() {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root");

    LaunchException e =
        assertThrows(
            LaunchException.class,
            () ->
                fixture.launch(
                    Fixture.spec(dir, List.of("true"), Map.of(), Optional.of("no-such-user-x"))));

    assertEquals("unknown user no-such-user-x", e.getMessage());
  }

  private static String[] passwdEntry(String user) throws IOException {
    return Files.readAllLines(Path.of("/etc/passwd")).stream()
        .filter(line -> line.startsWith(user + ":"))
        .findFirst()
        .orElseThrow()
        .split(":");
  }
}

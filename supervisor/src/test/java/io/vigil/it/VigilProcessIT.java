package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vigil as users run it: the jar, killed with -9, restarted, stopped with SIGTERM. */
class VigilProcessIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Any free port, so that runs never fight over the default 9651 (or a real Vigil's). */
  static final String METRICS_ANY_PORT = "metrics.listen = \"127.0.0.1:0\"";

  @TempDir Path dir;
  private final List<Long> instancePids = new java.util.ArrayList<>();

  @AfterEach
  void killLeftovers() {
    instancePids.forEach(Host::killGroup);
  }

  private Path writeConfig(int port) throws Exception {
    Path conf = dir.resolve("vigil.conf");
    // The status API and metrics on ports of their own choosing: tests never contend for 9650/9651.
    Files.writeString(conf, "vigil { state-dir = state, api.listen = \"127.0.0.1:0\", "
        + METRICS_ANY_PORT + " }\n"
        + "services {\n web {\n  command = " + Harness.demoCommand() + "\n  port = " + port + "\n"
        + "  stop { grace-period = 3s }\n"
        + "  probes { readiness { http { path = /readyz }, period = 200ms, timeout = 150ms } }\n }\n"
        + " sleeper { command = [sh, -c, \"exec sleep 300\"], instances = 2 }\n}\n");
    return conf;
  }

  private List<Long> statePids() throws Exception {
    Path state = dir.resolve("state/instances.tsv");
    if (!Files.exists(state)) {
      return List.of();
    }
    return Files.readAllLines(state).stream().filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> Long.parseLong(l.split("\t")[2])).sorted().toList();
  }

  @Test
  void killedVigilReadoptsItsInstancesWithoutRestartingThem() throws Exception {
    Path conf = writeConfig(Host.freePort());
    List<Long> before;
    try (VigilProcess first = VigilProcess.start(dir, "first.log", "run", "--config", conf.toString())) {
      // Each of the three READY at least once (a readiness flap may add a second READY)
      assertTrue(Host.eventually(WAIT, () -> first.count("web/0 RUNNING -> READY") >= 1
          && first.count("sleeper/0 STARTING -> READY") >= 1
          && first.count("sleeper/1 STARTING -> READY") >= 1), first.log());
      assertTrue(Host.eventually(WAIT, () -> sizeOf() == 3));
      before = statePids();
      instancePids.addAll(before);
      // When Vigil dies without any chance to clean up
      first.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    before.forEach(pid -> assertTrue(Host.alive(pid), "instance " + pid + " died with Vigil"));

    try (VigilProcess second = VigilProcess.start(dir, "second.log", "run", "--config", conf.toString())) {
      // Then the new Vigil adopts all three, resumes probing, and starts nothing
      assertTrue(Host.eventually(WAIT, () -> second.count("re-adopted") == 3
          && second.count("web/0 RUNNING -> READY") >= 1), second.log());
      assertEquals(before, statePids());
      assertEquals(0, second.count("-> STARTING"), second.log());
      before.forEach(pid -> assertTrue(Host.alive(pid)));

      // And SIGTERM stops them all and exits 0
      second.process.destroy();
      assertTrue(second.process.waitFor(20, TimeUnit.SECONDS), "vigil did not exit");
      assertEquals(0, second.process.exitValue(), second.log());
      before.forEach(pid -> assertFalse(Host.alive(pid), "instance " + pid + " still alive"));
    }
  }

  private int sizeOf() {
    try {
      return statePids().size();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void secondVigilOnTheSameStateDirRefusesToStart() throws Exception {
    Path conf = writeConfig(Host.freePort());
    try (VigilProcess first = VigilProcess.start(dir, "first.log", "run", "--config", conf.toString())) {
      assertTrue(Host.eventually(WAIT, () -> sizeOf() == 3), first.log());
      instancePids.addAll(statePids());
      int code = VigilProcess.run(dir, "second.log", "run", "--config", conf.toString());
      assertEquals(1, code);
      assertTrue(Files.readString(dir.resolve("second.log")).contains("already running"));
      first.process.destroy();
      assertTrue(first.process.waitFor(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void invalidConfigIsReportedByCheckAndRunStartsNothing() throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "vigil { state-dir = state }\nservices {\n"
        + "  web {\n    comand = [sh, -c, \"sleep 1\"]\n    instances = 0\n  }\n}\n");
    assertEquals(2, VigilProcess.run(dir, "check.log", "check", "--config", conf.toString()));
    String out = Files.readString(dir.resolve("check.log")).replace(dir + "/", "");
    assertEquals(List.of(
        "bad.conf:3: services.web.command: is required",
        "bad.conf:4: services.web.comand: unknown key 'comand'; did you mean 'command'?",
        "bad.conf:5: services.web.instances: must be at least 1 (got 0)",
        "vigil: bad.conf: 3 problem(s); nothing started"), out.lines().toList());
    assertFalse(out.contains("Exception"), out);
    assertFalse(out.contains("\tat "), out);

    assertEquals(2, VigilProcess.run(dir, "run.log", "run", "--config", conf.toString()));
    assertTrue(Files.readString(dir.resolve("run.log")).contains("nothing started"));
    assertFalse(Files.exists(dir.resolve("state/instances.tsv")));
  }

  @Test
  void validConfigPassesCheck() throws Exception {
    Path conf = writeConfig(Host.freePort());
    assertEquals(0, VigilProcess.run(dir, "check.log", "check", "--config", conf.toString()));
    assertTrue(Files.readString(dir.resolve("check.log")).contains("valid (2 services, 3 instances)"));
  }

  @Test
  void sighupAppliesAValidConfigAndRefusesAnInvalidOne() throws Exception {
    Path conf = dir.resolve("vigil.conf");
    String head = "vigil { state-dir = state, api.listen = \"127.0.0.1:0\", " + METRICS_ANY_PORT
        + " }\n";
    Files.writeString(conf, head + "services { a { command = [sh, -c, \"exec sleep 300\"] } }\n");
    try (VigilProcess vigil = VigilProcess.start(dir, "vigil.log", "run", "--config", conf.toString())) {
      assertTrue(Host.eventually(WAIT, () -> vigil.count("a/0 STARTING -> READY") == 1), vigil.log());
      instancePids.addAll(statePids());
      long pid = vigil.process.pid();

      // An invalid file is refused with the same lines as vigil check; nothing changes
      Files.writeString(conf, head + "services { a { comand = [sh] } }\n");
      Host.signal(pid, "HUP");
      assertTrue(Host.eventually(WAIT, () -> vigil.log().contains("reload refused")), vigil.log());
      assertTrue(vigil.log().contains("services.a.comand: unknown key 'comand'; did you mean 'command'?"));
      assertEquals(1, vigil.count("-> STARTING"));

      // A valid one is applied as a diff: b starts, a is untouched
      Files.writeString(conf, head + "services {\n a { command = [sh, -c, \"exec sleep 300\"] }\n"
          + " b { command = [sh, -c, \"exec sleep 300\"] }\n}\n");
      Host.signal(pid, "HUP");
      assertTrue(Host.eventually(WAIT, () -> vigil.count("b/0 STARTING -> READY") == 1), vigil.log());
      instancePids.addAll(statePids());
      assertEquals(2, vigil.count("-> STARTING"), vigil.log());
      vigil.process.destroy();
      assertTrue(vigil.process.waitFor(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void afterACrashInstancesOfServicesNoLongerConfiguredAreStopped() throws Exception {
    Path conf = dir.resolve("vigil.conf");
    String head = "vigil { state-dir = state, api.listen = \"127.0.0.1:0\", " + METRICS_ANY_PORT
        + " }\n";
    String keep = " keep { command = [sh, -c, \"exec sleep 300\"] }\n";
    Files.writeString(conf, head + "services {\n" + keep
        + " gone { command = [sh, -c, \"exec sleep 300\"] }\n}\n");
    List<Long> before;
    try (VigilProcess first = VigilProcess.start(dir, "first.log", "run", "--config", conf.toString())) {
      assertTrue(Host.eventually(WAIT, () -> sizeOf() == 2), first.log());
      before = statePids();
      instancePids.addAll(before);
      first.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    // When Vigil comes back with "gone" removed from its configuration
    Files.writeString(conf, head + "services {\n" + keep + "}\n");
    try (VigilProcess second = VigilProcess.start(dir, "second.log", "run", "--config", conf.toString())) {
      // Then "keep" is re-adopted and "gone" is stopped, not left running unsupervised
      assertTrue(Host.eventually(WAIT, () -> second.count("re-adopted") == 1
          && second.log().contains("stopped gone/0")), second.log());
      assertEquals(1, before.stream().filter(Host::alive).count());
      assertEquals(0, second.count("-> STARTING"), second.log());
      second.process.destroy();
      assertTrue(second.process.waitFor(20, TimeUnit.SECONDS));
    }
  }
}

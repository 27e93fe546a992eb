package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status API in the shaded jar as users run it: Jersey, HK2 and Jackson find their
 * META-INF/services entries after shading, and a taken address fails the start in one line.
 */
class ApiJarIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<Long> instancePids = new java.util.ArrayList<>();

  @AfterEach
  void killLeftovers() {
    instancePids.forEach(Host::killGroup);
  }

  private Path config(int apiPort) throws Exception {
    Path conf = dir.resolve("vigil.conf");
    // Metrics on a port of its own choosing: only the API's port is under test here
    Files.writeString(conf, "vigil { state-dir = state, api.listen = \"127.0.0.1:" + apiPort
        + "\", metrics.listen = \"127.0.0.1:0\" }\n"
        + "services {\n sleeper { command = [sh, -c, \"exec sleep 300\"] }\n}\n");
    return conf;
  }

  @Test
  void theJarServesTheApiAndThePageAndStopsCleanly() throws Exception {
    int port = Host.freePort();
    Path conf = config(port);
    try (VigilProcess vigil = VigilProcess.start(dir, "vigil.log", "run", "--config",
        conf.toString())) {
      ApiClient client = new ApiClient(port);
      assertTrue(Host.eventually(WAIT, () -> status(client, "/readyz") == 200), vigil.log());
      assertTrue(Host.eventually(WAIT, () -> readySleepers(client) == 1), vigil.log());
      instancePids.add(client.get("/v1/services/sleeper/instances/0").json().get("pid")
          .asLong());

      assertTrue(client.get("/v1/version").json().get("version").isTextual());
      assertEquals(200, client.get("/healthz").status());
      assertTrue(client.get("/").body().contains("<title>Vigil</title>"));
      assertEquals("{\"added\":[],\"removed\":[],\"changed\":[],\"unchanged\":[\"sleeper\"]}",
          client.post("/v1/reload").body());
      assertEquals(404, client.get("/v1/services/nope").status());
      client.assertNothingLeaked();

      vigil.process.destroy(); // SIGTERM
      assertTrue(vigil.process.waitFor(20, TimeUnit.SECONDS), "vigil did not exit");
      assertEquals(0, vigil.process.exitValue(), vigil.log());
      String log = vigil.log();
      assertTrue(log.contains("status API and page on http://127.0.0.1:" + port + "/"), log);
      assertFalse(log.contains("\tat "), log);
      assertFalse(log.contains("WARNING"), log);
    }
  }

  /**
   * Jersey and HK2 cost about 20 MB: the daemon loads them only when the API gets its first
   * request (OnFirstRequest), and that request is answered all the same. Its JSON is written by
   * jackson-jr; jackson-databind (~500 classes more; the tests' only) never enters the daemon.
   */
  @Test
  void jerseyIsLoadedOnlyByTheFirstRequest() throws Exception {
    int port = Host.freePort();
    Path conf = config(port);
    Path classes = dir.resolve("classes.log");
    try (VigilProcess vigil = VigilProcess.start(dir, "vigil.log",
        List.of("-Xlog:class+load=info:file=" + classes), "run", "--config", conf.toString())) {
      // The log line that follows the API's start and every instance's launch
      assertTrue(Host.eventually(WAIT, () -> vigil.log().contains("supervising 1 service(s)")),
          vigil.log());
      assertTrue(vigil.log().contains("status API and page on http://127.0.0.1:" + port + "/"),
          vigil.log());
      assertTrue(Host.eventually(WAIT, () -> vigil.log().contains("sleeper/0 STARTING -> ")),
          vigil.log());
      // Recorded from the log, not the API, so that a failure before the request kills it too
      Matcher started =
          Pattern.compile("sleeper/0 \\w+ -> STARTING .* pid=(\\d+)").matcher(vigil.log());
      assertTrue(started.find(), vigil.log());
      instancePids.add(Long.parseLong(started.group(1)));
      assertFalse(loaded(classes, "org.glassfish.jersey.server.ApplicationHandler"),
          "Jersey was loaded before any request");
      assertFalse(loaded(classes, "com.fasterxml.jackson.databind.ObjectMapper"),
          "Jackson was loaded before any request");

      ApiClient client = new ApiClient(port);
      ApiClient.Reply first = client.get("/v1/services/sleeper");
      assertEquals(200, first.status(), first.body());
      assertEquals("sleeper", first.json().get("name").asText(), first.body());
      assertTrue(Host.eventually(WAIT, () -> loaded(classes,
          "org.glassfish.jersey.server.ApplicationHandler")), "the request did not load Jersey");
      assertTrue(loaded(classes, "com.fasterxml.jackson.jr.ob.JSON"),
          "the answer was not written by jackson-jr");
      assertFalse(loaded(classes, "com.fasterxml.jackson.databind.ObjectMapper"),
          "the daemon loaded jackson-databind");
    }
  }

  private static boolean loaded(Path classLog, String className) {
    try {
      return Files.exists(classLog) && Files.readAllLines(classLog).stream()
          .anyMatch(line -> line.contains(" " + className + " "));
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void aTakenApiAddressIsOneLineExit1AndStartsNothing() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Path conf = config(taken.getLocalPort());

      int code = VigilProcess.run(dir, "vigil.log", "run", "--config", conf.toString());

      String log = Files.readString(dir.resolve("vigil.log"));
      assertEquals(1, code, log);
      List<String> errors = log.lines().filter(l -> l.startsWith("vigil:")).toList();
      assertEquals(List.of("vigil: vigil.api.listen 127.0.0.1:" + taken.getLocalPort()
          + ": cannot listen: Address already in use"), errors, log);
      assertFalse(log.contains("\tat "), log);
      assertFalse(log.contains("Exception"), log);
      // The API is bound before anything starts: nothing was started, so nothing is left
      assertFalse(log.contains("-> STARTING"), log);
      assertFalse(Host.allPids().stream().anyMatch(p -> Host.state(p).isPresent()
          && commandOf(p).contains("sleep 300") && dirOf(p).startsWith(dir.toString())),
          "an instance outlived the failed start");
    }
  }

  @Test
  void helpStillWorksFromTheShadedJar() throws Exception {
    assertEquals(0, VigilProcess.run(dir, "help.log", "--help"));
    assertTrue(Files.readString(dir.resolve("help.log")).contains("run"));
  }

  private static int status(ApiClient client, String path) {
    try {
      return client.get(path).status();
    } catch (Exception e) {
      return -1;
    }
  }

  private static int readySleepers(ApiClient client) {
    try {
      return client.get("/v1/services/sleeper").json().get("ready").asInt();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String commandOf(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
    } catch (Exception e) {
      return "";
    }
  }

  private static String dirOf(long pid) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")).toString();
    } catch (Exception e) {
      return "";
    }
  }
}

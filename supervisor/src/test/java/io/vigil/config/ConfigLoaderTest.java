package io.vigil.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.agent.Signal;
import io.vigil.limits.LimitsSpec;
import io.vigil.probe.CheckSpec;
import io.vigil.probe.ProbeSpec;
import io.vigil.probe.ProbesSpec;
import io.vigil.restart.BackoffSpec;
import io.vigil.restart.GiveUpSpec;
import io.vigil.restart.RestartPolicy;
import io.vigil.restart.RestartSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a loaded configuration holds: defaults, parsed values, substitutions, includes. */
class ConfigLoaderTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void defaultsFillEverythingLeftOut() throws Exception {
    // Given a service with only a command
    Path file = TestConfigs.valid("minimal.conf");

    // When it is loaded
    VigilConfig config = TestConfigs.load(file);

    // Then the daemon and the service carry reference.conf's defaults
    assertEquals(new DaemonSpec(Path.of("/var/lib/vigil"), 10 * MIB, 3, Duration.ofSeconds(5), 1000,
        new ApiSpec(new ListenAddress("127.0.0.1", 9650), Optional.empty(),
            new ListenAddress("127.0.0.1", 9651))), config.daemon());
    ServiceSpec hello = config.services().get("hello");
    assertEquals(List.of("sleep", "1000"), hello.command());
    assertEquals(file.getParent(), hello.workingDir());
    assertEquals(Map.of(), hello.env());
    assertEquals(Optional.empty(), hello.user());
    assertEquals(1, hello.instances());
    assertEquals(OptionalInt.empty(), hello.port());
    assertEquals(ProbesSpec.none(), hello.probes());
    assertEquals(new RestartSpec(RestartPolicy.ALWAYS,
            new BackoffSpec(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.1),
            Duration.ofMinutes(2), new GiveUpSpec(10, Duration.ofMinutes(5))),
        hello.restart());
    assertEquals(new StopSpec(Signal.TERM, Duration.ofSeconds(10)), hello.stop());
    assertEquals(LimitsSpec.none(), hello.limits());
    assertEquals(new Origin(file.toString(), 3), hello.origin());
  }

  @Test
  void everyKeyIsRead() throws Exception {
    // Given a file that sets every key
    Path file = TestConfigs.valid("full.conf");

    // When it is loaded
    VigilConfig config = TestConfigs.load(file);

    // Then each value lands in its record; relative paths are taken from the file's directory
    assertEquals(new DaemonSpec(file.getParent().resolve("state"), MIB, 5, Duration.ofMillis(500),
        50, new ApiSpec(new ListenAddress("127.0.0.1", 9750), Optional.empty(),
            new ListenAddress("127.0.0.1", 9751))), config.daemon());
    ServiceSpec web = config.services().get("web");
    assertEquals(Path.of("/srv/www"), web.workingDir());
    assertEquals(Map.of("LANG", "C.UTF-8", "WORKERS", "4"), web.env());
    assertEquals(Optional.of("www-data"), web.user());
    assertEquals(3, web.instances());
    assertEquals(OptionalInt.of(8002), web.portOf(2));
    assertEquals(new ProbeSpec(
            new CheckSpec.Http(
                "/healthz", OptionalInt.of(8100), Map.of("Host", "web.local"), false),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(1500), 1, 30),
        web.probes().startup().orElseThrow());
    assertEquals(new ProbeSpec(new CheckSpec.Tcp(OptionalInt.of(8100)), Duration.ZERO,
            Duration.ofSeconds(5), Duration.ofSeconds(2), 1, 4),
        web.probes().liveness().orElseThrow());
    assertEquals(new ProbeSpec(new CheckSpec.Exec(List.of("/bin/check", "--quick")), Duration.ZERO,
            Duration.ofSeconds(3), Duration.ofSeconds(1), 2, 1),
        web.probes().readiness().orElseThrow());
    assertEquals(new RestartSpec(RestartPolicy.ON_FAILURE,
            new BackoffSpec(Duration.ofSeconds(2), Duration.ofMinutes(1), 1.5, 0.0),
            Duration.ofMinutes(10), new GiveUpSpec(5, Duration.ofHours(1))),
        web.restart());
    assertEquals(new StopSpec(Signal.INT, Duration.ofSeconds(30)), web.stop());
    assertEquals(new LimitsSpec(OptionalLong.of(512 * MIB), 5), web.limits());
  }

  @Test
  void durationsAndSizesTakeHoconUnits() throws Exception {
    // Given durations and sizes in several units
    // When the file is loaded
    VigilConfig config = TestConfigs.load(TestConfigs.valid("units.conf"));

    // Then each is converted exactly
    assertEquals(10_000_000, config.daemon().logMaxBytes());
    assertEquals(Duration.ofMillis(1500), config.daemon().sampleInterval());
    ServiceSpec u = config.services().get("u");
    ProbeSpec liveness = u.probes().liveness().orElseThrow();
    assertEquals(Duration.ofMinutes(2), liveness.initialDelay());
    assertEquals(Duration.ofMillis(250), liveness.period());
    assertEquals(Duration.ofMillis(100), liveness.timeout());
    assertEquals(Duration.ofHours(1), u.restart().giveUp().within());
    assertEquals(OptionalLong.of(1024 * MIB), u.limits().memoryBytes());
  }

  @Test
  void runtimeValuesEnvironmentAndSelfReferencesAreSubstituted() throws Exception {
    // Given a file using ${vigil.runtime.*}, ${?ENV} and ${path}
    // When it is loaded with the runtime values a command line passes
    VigilConfig config = TestConfigs.load(TestConfigs.valid("substitution.conf"));

    // Then each substitution is filled in
    ServiceSpec demo = config.services().get("demo");
    assertEquals(List.of("/usr/bin/java", "-jar", "/opt/vigil/vigil.jar", "demo-backend"),
        demo.command());
    assertEquals("none", demo.env().get("FALLBACK"));
    assertEquals(System.getenv("PATH"), demo.env().get("PATH_SEEN"));
    assertEquals("9000", demo.env().get("BASE_PORT"));
  }

  @Test
  void missingRuntimeValueIsAProblemNamingWhatIsThere() {
    // Given a file that needs ${vigil.runtime.java}
    Path file = TestConfigs.valid("substitution.conf");

    // When it is loaded without runtime values
    ConfigInvalidException e =
        assertThrows(ConfigInvalidException.class, () -> ConfigLoader.load(file, Map.of()));

    // Then the problem names the substitution and its line
    assertEquals(List.of(new Problem(new Origin(file.toString(), 5), "${vigil.runtime.java}",
        "cannot be substituted: no such setting or environment variable "
            + "(vigil.runtime is empty)")), e.problems());
  }

  @Test
  void includedFilesAddServicesAtTopLevelAndInsideObjects() throws Exception {
    // Given a file including one file at top level and one inside services { }
    Path file = TestConfigs.valid("include.conf");

    // When it is loaded
    VigilConfig config = TestConfigs.load(file);

    // Then both services are there, with origins in their own files
    assertEquals(List.of("web", "worker"), List.copyOf(config.services().keySet()));
    assertEquals(OptionalInt.of(8000), config.services().get("web").port());
    assertEquals(file.getParent().resolve("include.d/web.conf").toString(),
        config.services().get("web").origin().file());
  }

  @Test
  void templatesInVigilDefaultsApplyToEveryServiceAndProbe() throws Exception {
    // Given vigil.defaults.service and vigil.defaults.probe overrides
    // When the file is loaded
    VigilConfig config = TestConfigs.load(TestConfigs.valid("defaults-override.conf"));

    // Then services merge with the template, override it, or unset it with null
    ServiceSpec a = config.services().get("a");
    ServiceSpec b = config.services().get("b");
    assertEquals(Map.of("LANG", "C.UTF-8", "EXTRA", "1"), a.env());
    assertEquals(OptionalInt.of(7000), a.port());
    assertEquals(OptionalInt.empty(), b.port());
    assertEquals(Duration.ofSeconds(30), a.stop().gracePeriod());
    assertEquals(Duration.ofSeconds(3), b.stop().gracePeriod());
    assertEquals(Duration.ofSeconds(5), a.probes().liveness().orElseThrow().period());
    assertEquals(6, a.probes().liveness().orElseThrow().failureThreshold());
    assertEquals(2, b.probes().liveness().orElseThrow().failureThreshold());
  }

  @Test
  void httpChecksKeepTheirConnectionAliveUnlessTheySayOtherwise() throws Exception {
    // Given one http check that leaves keep-alive out and one that turns it off
    // When the file is loaded
    VigilConfig config = TestConfigs.load(TestConfigs.valid("keep-alive.conf"));

    // Then
    ProbesSpec probes = config.services().get("web").probes();
    assertEquals(new CheckSpec.Http("/healthz", OptionalInt.empty(), Map.of(), true),
        probes.liveness().orElseThrow().check());
    assertEquals(new CheckSpec.Http("/ready", OptionalInt.empty(), Map.of(), false),
        probes.readiness().orElseThrow().check());
  }

  @Test
  void noServicesIsValid() throws Exception {
    // Given a file with only comments / When it is loaded
    VigilConfig config = TestConfigs.load(TestConfigs.valid("empty.conf"));

    // Then there is nothing to supervise
    assertEquals(Map.of(), config.services());
  }

  @Test
  void missingFileIsAProblem(@TempDir Path dir) {
    // Given a path with no file
    Path file = dir.resolve("nope.conf");

    // When it is loaded
    ConfigInvalidException e =
        assertThrows(ConfigInvalidException.class, () -> TestConfigs.load(file));

    // Then the problem names the file
    assertEquals(List.of(new Problem(new Origin(file.toString(), 0), "(file)", "no such file")),
        e.problems());
    assertEquals(file + ": (file): no such file", e.problems().get(0).toString());
  }

  @Test
  void directoryIsAProblem(@TempDir Path dir) {
    // Given a directory / When it is loaded as a file
    ConfigInvalidException e =
        assertThrows(ConfigInvalidException.class, () -> TestConfigs.load(dir));

    // Then it is reported as such
    assertEquals("is a directory, not a file", e.problems().get(0).message());
  }

  @Test
  void syntaxErrorNamesFileAndLine() {
    // Given a list that is never closed
    Path file = TestConfigs.invalid("syntax.conf");

    // When it is loaded
    ConfigInvalidException e =
        assertThrows(ConfigInvalidException.class, () -> TestConfigs.load(file));

    // Then one problem points at the line where the parser stopped
    assertEquals(1, e.problems().size());
    assertEquals(new Origin(file.toString(), 4), e.problems().get(0).origin());
    assertEquals("(syntax)", e.problems().get(0).path());
  }

  @Test
  void relativePathIsLoadedFromTheWorkingDirectory() throws Exception {
    // Given a path relative to the working directory
    Path absolute = TestConfigs.valid("minimal.conf");
    Path relative = Path.of("").toAbsolutePath().relativize(absolute);

    // When it is loaded
    VigilConfig config = TestConfigs.load(relative);

    // Then the source and the relative-path base are absolute
    assertEquals(absolute.toString(), config.source());
    assertEquals(absolute.getParent(), config.services().get("hello").workingDir());
  }

  @Test
  void servicesKeepTheirFileOrder() throws Exception {
    // Given services written in an order that is not alphabetical
    // When the file is loaded
    VigilConfig config = TestConfigs.load(TestConfigs.valid("order.conf"));

    // Then the map iterates in file order
    assertEquals(List.of("zeta", "alpha", "mid"), List.copyOf(config.services().keySet()));
  }
}

package io.vigil.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.config.ConfigLoader;
import io.vigil.config.VigilConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The choices in packaging/systemd/vigil.service that supervision depends on, so that a later
 * edit that would kill instances with Vigil, or hide them from it, fails here with the reason.
 * {@code SystemdUnitIT} has systemd itself check the syntax.
 */
class ShippedUnitTest {
  // Maven runs the tests in the module directory (supervisor/); packaging/ is beside it.
  static final Path PACKAGING =
      Path.of("..", "packaging", "systemd").toAbsolutePath().normalize();
  static final String JAR = "/opt/vigil/vigil.jar";
  /** The daemon's JVM options, installed from packaging/jvm.options (docs/install.md). */
  static final String JVM_OPTIONS = "/opt/vigil/jvm.options";
  static final Path REPO = PACKAGING.resolve("../..").normalize();
  /** Options packaging/jvm.options says JDK 17 releases before 17.0.9 skip. */
  private static final Set<String> OPTIONAL_ON_OLDER_17 = Set.of("TrimNativeHeapInterval");

  private final Map<String, List<String>> service = section("Service");

  @Test
  void isANotifyServiceThatOnlyVigilMayNotify() {
    assertEquals(List.of("notify"), service.get("Type"));
    // Instances inherit NOTIFY_SOCKET; one written for Type=notify must not speak for Vigil.
    assertEquals(List.of("main"), service.get("NotifyAccess"));
  }

  @Test
  void startsTheDocumentedJarWithTheDocumentedConfig() throws IOException {
    // Every JVM option comes from the one argument file; none may be added here beside it.
    assertEquals(List.of("/usr/bin/java @" + JVM_OPTIONS + " -jar " + JAR
        + " run --config /etc/vigil/vigil.conf"), service.get("ExecStart"));
    assertEquals(List.of("VIGIL_CONFIG=/etc/vigil/vigil.conf"), service.get("Environment"));
    String install = Files.readString(REPO.resolve("docs/install.md"));
    assertTrue(install.contains(JAR), "docs/install.md must install the jar at " + JAR);
    assertTrue(install.contains("install -m 0644 packaging/jvm.options " + JVM_OPTIONS),
        "docs/install.md must install packaging/jvm.options at " + JVM_OPTIONS);
  }

  @Test
  void binVigilRunsTheDaemonWithTheSameJvmOptionsFile() throws IOException {
    List<String> javaRuns = Files.readAllLines(REPO.resolve("bin/vigil")).stream()
        .map(String::strip).filter(l -> l.startsWith("exec ")).toList();
    // One run with the user's VIGIL_JAVA_OPTS, one with the shipped file and no other option.
    assertEquals(List.of(
        "exec \"${JAVA:-java}\" $VIGIL_JAVA_OPTS -jar \"$jar\" \"$@\"",
        "exec \"${JAVA:-java}\" \"@$here/packaging/jvm.options\" -jar \"$jar\" \"$@\""),
        javaRuns);
  }

  @Test
  void theJvmOptionsFileHoldsOnlyOptionsAndNeverC1Only() throws IOException {
    List<String> options = JvmOptions.read(REPO.resolve("packaging/jvm.options"));
    assertFalse(options.isEmpty());
    options.forEach(o -> assertTrue(o.startsWith("-"), "not an option: " + o));
    // C1 only would slow the load balancer's data path, which runs in the same JVM.
    assertFalse(options.stream().anyMatch(o -> o.startsWith("-XX:TieredStopAtLevel")), options::toString);
    assertTrue(options.contains("-XX:+UseSerialGC"), options::toString);
  }

  /**
   * The file starts with -XX:+IgnoreUnrecognizedVMOptions, so a misspelt option would be dropped
   * without a word: every -XX option must reach this JDK with the file's value.
   */
  @Test
  void everyJvmOptionTakesEffect() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process flags = new ProcessBuilder(java.toString(),
        "@" + REPO.resolve("packaging/jvm.options"), "-XX:+PrintFlagsFinal", "-version")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Map<String, String> fromCommandLine = new LinkedHashMap<>();
    // e.g. "     intx Tier3InvocationThreshold = 10000   {product} {command line}"
    Pattern line = Pattern.compile("\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S+).*\\{command line}.*");
    try (var lines = flags.inputReader().lines()) {
      lines.map(line::matcher).filter(Matcher::matches)
          .forEach(m -> fromCommandLine.put(m.group(1), m.group(2)));
    }
    assertEquals(0, flags.waitFor());

    Pattern option = Pattern.compile("-XX:(?:([+-])(\\w+)|(\\w+)=(\\S+))");
    for (String o : JvmOptions.read(REPO.resolve("packaging/jvm.options"))) {
      Matcher m = option.matcher(o);
      if (!m.matches()) {
        continue; // -Xms, -Xmx: not -XX flags
      }
      String name = m.group(2) != null ? m.group(2) : m.group(3);
      String value = m.group(2) != null ? String.valueOf(m.group(1).equals("+")) : m.group(4);
      if (OPTIONAL_ON_OLDER_17.contains(name)
          && Runtime.version().compareTo(Runtime.Version.parse("17.0.9")) < 0) {
        continue;
      }
      assertEquals(value, fromCommandLine.get(name), o + " did not take effect on this JDK");
    }
  }

  @Test
  void reloadValidatesThenSendsSighup() {
    List<String> reload = service.get("ExecReload");
    assertEquals(2, reload.size(), reload.toString());
    assertTrue(reload.get(0).endsWith("-jar " + JAR + " check"), reload.get(0));
    assertEquals("/bin/kill -HUP $MAINPID", reload.get(1));
  }

  @Test
  void restartingVigilNeverKillsTheInstancesItReadopts() {
    // Not control-group or mixed: a crash, watchdog kill or upgrade of Vigil would take every
    // instance with it.
    assertEquals(List.of("process"), service.get("KillMode"));
    // The default OOMPolicy=stop would stop Vigil, and every instance, when one is OOM-killed.
    assertEquals(List.of("continue"), service.get("OOMPolicy"));
    // systemd deletes a private /tmp when Vigil exits, under instances that keep running.
    assertFalse(isTrue(service.get("PrivateTmp")), "PrivateTmp=" + service.get("PrivateTmp"));
  }

  @Test
  void watchdogAndRestarts() {
    assertEquals(List.of("30s"), service.get("WatchdogSec"));
    assertEquals(List.of("always"), service.get("Restart"));
    assertEquals(List.of("1s"), service.get("RestartSec"));
    // vigil run exits 2 on an invalid configuration, having started nothing.
    assertEquals(List.of("2"), service.get("RestartPreventExitStatus"));
  }

  @Test
  void stopTimeoutCoversTheDefaultGracePeriodAndVigilsMargin() {
    // RunCommand waits for the longest stop.grace-period (default 10s) plus 10s.
    Duration timeout = seconds(service.get("TimeoutStopSec"));
    assertTrue(timeout.compareTo(Duration.ofSeconds(10 + 10)) > 0, timeout.toString());
  }

  @Test
  void leavesOutSandboxingThatBreaksSupervision() {
    Map<String, String> forbidden = Map.of(
        "ProtectProc", "hides non-dumpable instances from /proc: re-adoption would fail",
        "ProcSubset", "hides /proc/meminfo and /proc/stat from host sampling and instances",
        "MemoryDenyWriteExecute", "the JIT compiler writes executable memory",
        "PrivateNetwork", "a new network namespace per run of Vigil",
        "PrivatePIDs", "a new pid namespace per run of Vigil");
    forbidden.forEach((key, why) ->
        assertFalse(service.containsKey(key), key + "=" + service.get(key) + ": " + why));
  }

  @Test
  void runsAsTheUserThatSysusersCreates() throws IOException {
    assertEquals(List.of("vigil"), service.get("User"));
    assertEquals(List.of("vigil"), service.get("Group"));
    assertEquals(List.of("vigil"), service.get("StateDirectory"));
    List<String> users = Files.readAllLines(PACKAGING.resolve("vigil.sysusers")).stream()
        .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    assertEquals(List.of("u vigil - \"Vigil supervisor\" /var/lib/vigil"),
        users.stream().map(l -> l.trim().replaceAll("\\s+", " ")).toList());
  }

  @Test
  void exampleConfigurationIsValidAndUsesTheStateDirectory() throws Exception {
    VigilConfig config = ConfigLoader.load(PACKAGING.resolve("vigil.conf.example"),
        Map.of("java", "/usr/bin/java", "jar", JAR));
    assertFalse(config.services().isEmpty());
    // StateDirectory=vigil is /var/lib/vigil, the only writable directory Vigil owns.
    assertEquals(Path.of("/var/lib/vigil"), config.daemon().stateDir());
  }

  // ---------------------------------------------------------------- a small unit file reader

  private static Map<String, List<String>> section(String name) {
    try {
      Map<String, Map<String, List<String>>> unit =
          parse(Files.readAllLines(PACKAGING.resolve("vigil.service")));
      assertTrue(unit.containsKey(name), "no [" + name + "] in vigil.service");
      return unit.get(name);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Sections of KEY=value lines; repeated keys keep every value, in order. */
  static Map<String, Map<String, List<String>>> parse(List<String> lines) {
    Map<String, Map<String, List<String>>> unit = new LinkedHashMap<>();
    Map<String, List<String>> current = null;
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current = unit.computeIfAbsent(line.substring(1, line.length() - 1),
            k -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      assertTrue(current != null && eq > 0, "not KEY=value in a section: " + raw);
      current.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
          .add(line.substring(eq + 1).strip());
    }
    return unit;
  }

  private static boolean isTrue(List<String> values) {
    return values != null
        && List.of("yes", "true", "on", "1").contains(values.get(values.size() - 1));
  }

  private static Duration seconds(List<String> values) {
    Matcher m = Pattern.compile("(\\d+)s").matcher(values.get(values.size() - 1));
    assertTrue(m.matches(), "expected a value like 90s: " + values);
    return Duration.ofSeconds(Long.parseLong(m.group(1)));
  }
}

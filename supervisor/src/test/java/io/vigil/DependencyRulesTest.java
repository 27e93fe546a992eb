package io.vigil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The architecture rule, enforced: policy packages are pure. Reads every {@code .java} file under
 * {@code src/main/java} (comments and string literals blanked out first) and fails with {@code
 * file:line: problem} for each
 *
 * <ul>
 *   <li>import of a forbidden package or class by a policy package ({@link #POLICY_FORBIDDEN}),
 *       or by {@code io.vigil.config} of a mechanism package ({@link #CONFIG_FORBIDDEN});
 *   <li>fully qualified use of one in code, which needs no import;
 *   <li>in policy packages: use of {@code Thread} or {@code ProcessBuilder} (both in {@code
 *       java.lang}, so never imported), {@code Runtime.getRuntime()}, {@code Thread.sleep}, or a
 *       clock read ({@code System.nanoTime}, {@code System.currentTimeMillis}, {@code
 *       Instant.now()}, {@code Clock.systemUTC()}, …) other than {@code Ticker.SYSTEM}'s
 *       definition.
 * </ul>
 *
 * <p>{@code io.vigil.probe.check} and {@code io.vigil.lb.netty} are mechanism living under policy
 * packages ({@code io.vigil.probe}, {@code io.vigil.lb}): they are not policy packages.
 */
class DependencyRulesTest {

  static final List<String> POLICY_PACKAGES = List.of(
      "io.vigil.time", "io.vigil.instance", "io.vigil.probe", "io.vigil.restart",
      "io.vigil.limits", "io.vigil.lb");
  static final List<String> MECHANISM_UNDER_POLICY =
      List.of("io.vigil.probe.check", "io.vigil.lb.netty");
  static final String CONFIG = "io.vigil.config";

  static final List<String> MECHANISM = List.of(
      "io.vigil.control", "io.vigil.cli", "io.vigil.api", "io.vigil.metrics",
      "io.vigil.probe.check", "io.vigil.lb.netty", "io.vigil.netty", "io.vigil.systemd");

  /** Names ending in {@code *} match any name that starts with the rest. */
  static final List<String> POLICY_FORBIDDEN = concat(List.of(
      "java.net", "java.lang.ProcessBuilder", "java.lang.Thread",
      "java.util.concurrent.Executor*", "java.util.concurrent.ScheduledExecutorService",
      "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ScheduledThreadPoolExecutor",
      "java.util.concurrent.ForkJoinPool", "java.util.Timer",
      "io.netty", "org.glassfish", "io.prometheus", "oshi",
      "io.vigil.agent.process", "io.vigil.agent.host", "io.vigil.agent.logs"), MECHANISM);

  static final List<String> CONFIG_FORBIDDEN = concat(List.of("io.netty", "java.net"), MECHANISM);

  /** Code (not imports) that policy must not contain: pattern and what it means. */
  static final List<CodeRule> POLICY_CODE_RULES = List.of(
      new CodeRule("\\bThread\\s*\\.\\s*sleep\\b", "Thread.sleep: policy never sleeps"),
      new CodeRule("\\bSystem\\s*(?:\\.|::)\\s*(?:nanoTime|currentTimeMillis)\\b",
          "reads the clock: take `now` from an injected io.vigil.time.Ticker"),
      new CodeRule("\\b(?:Instant|LocalDateTime|LocalDate|LocalTime|ZonedDateTime|OffsetDateTime)"
          + "\\s*\\.\\s*now\\s*\\(", "reads the wall clock: take the time as a parameter"),
      new CodeRule("\\bClock\\s*\\.\\s*system\\w*\\s*\\(",
          "reads the wall clock: take the time as a parameter"),
      new CodeRule("(?<![\\w.])Thread(?!\\w)", "uses java.lang.Thread: policy has no threads"),
      new CodeRule("(?<![\\w.])ProcessBuilder(?!\\w)", "uses java.lang.ProcessBuilder"),
      new CodeRule("\\bRuntime\\s*\\.\\s*getRuntime\\b", "uses Runtime.getRuntime()"));

  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;",
      Pattern.MULTILINE);
  private static final Pattern IMPORT =
      Pattern.compile("\\bimport\\s+(?:static\\s+)?([\\w.]+(?:\\s*\\.\\s*\\*)?)\\s*;");

  record CodeRule(String regex, String message) {
    Pattern pattern() {
      return Pattern.compile(regex);
    }
  }

  record Violation(String file, int line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + message;
    }
  }

  // ---------------------------------------------------------------- the rule, on the real tree

  @Test
  void policyPackagesArePure() throws IOException {
    Path root = sourceRoot();
    List<Violation> violations = new ArrayList<>();
    List<String> checkedPolicyFiles = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String source = Files.readString(file, StandardCharsets.UTF_8);
        String name = root.relativize(file).toString().replace('\\', '/');
        violations.addAll(check(name, source));
        packageOf(strip(source)).filter(DependencyRulesTest::isPolicy)
            .ifPresent(p -> checkedPolicyFiles.add(name));
      }
    }
    if (!violations.isEmpty()) {
      StringBuilder report = new StringBuilder(violations.size()
          + " dependency rule violation(s) in " + root + ":");
      violations.forEach(v -> report.append("\n  ").append(v));
      fail(report.toString());
    }
    // Guard against a vacuous pass (wrong directory, broken package detection).
    assertTrue(checkedPolicyFiles.contains("io/vigil/restart/RestartTracker.java"),
        "policy files checked: " + checkedPolicyFiles);
    assertTrue(checkedPolicyFiles.contains("io/vigil/time/Ticker.java"),
        "policy files checked: " + checkedPolicyFiles);
    assertTrue(checkedPolicyFiles.contains("io/vigil/lb/LbSpec.java"),
        "policy files checked: " + checkedPolicyFiles);
  }

  /** Libraries that only one package may import: the adapter that owns them. */
  static final Map<String, String> OWNED = Map.of("io.prometheus", "io.vigil.metrics");

  @Test
  void ownedLibrariesAreImportedOnlyByTheirAdapter() throws IOException {
    Path root = sourceRoot();
    List<Violation> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String name = root.relativize(file).toString().replace('\\', '/');
        violations.addAll(checkOwned(name, Files.readString(file, StandardCharsets.UTF_8)));
      }
    }
    assertEquals(List.of(), violations);
  }

  static List<Violation> checkOwned(String file, String source) {
    String code = strip(source);
    String pkg = packageOf(code).orElse("");
    List<Violation> violations = new ArrayList<>();
    String[] lines = code.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher imp = IMPORT.matcher(lines[i]);
      while (imp.find()) {
        String imported = imp.group(1).replaceAll("\\s", "");
        for (Map.Entry<String, String> owned : OWNED.entrySet()) {
          if (covers(owned.getKey(), imported) && !within(pkg, owned.getValue())) {
            violations.add(new Violation(file, i + 1, pkg + " must not import " + imported
                + " (only " + owned.getValue() + " may)"));
          }
        }
      }
    }
    return violations;
  }

  @Test
  void selfTestOnlyMetricsImportsPrometheus() {
    String imports = "import io.prometheus.metrics.core.metrics.Counter;\nclass X {}\n";
    assertEquals(List.of(), checkOwned("X.java", "package io.vigil.metrics;\n" + imports));
    assertEquals(List.of(new Violation("X.java", 2, "io.vigil.control must not import"
        + " io.prometheus.metrics.core.metrics.Counter (only io.vigil.metrics may)")),
        checkOwned("X.java", "package io.vigil.control;\n" + imports));
  }

  private static Path sourceRoot() {
    String basedir = System.getProperty("basedir", ".");
    for (Path candidate : List.of(Path.of(basedir, "src/main/java"),
        Path.of("src/main/java"), Path.of("supervisor/src/main/java"))) {
      if (Files.isDirectory(candidate.resolve("io/vigil"))) {
        return candidate;
      }
    }
    throw new UncheckedIOException(new IOException("supervisor/src/main/java not found from "
        + Path.of("").toAbsolutePath()));
  }

  // ---------------------------------------------------------------- the checker

  static List<Violation> check(String file, String source) {
    String code = strip(source);
    Optional<String> pkg = packageOf(code);
    if (pkg.isEmpty()) {
      return List.of();
    }
    List<String> forbidden;
    List<CodeRule> codeRules;
    if (isPolicy(pkg.get())) {
      forbidden = POLICY_FORBIDDEN;
      codeRules = POLICY_CODE_RULES;
    } else if (within(pkg.get(), CONFIG)) {
      forbidden = CONFIG_FORBIDDEN;
      codeRules = List.of();
    } else {
      return List.of();
    }
    List<Violation> violations = new ArrayList<>();
    String[] lines = code.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      checkLine(file, i + 1, lines[i], pkg.get(), forbidden, codeRules, violations);
    }
    return violations;
  }

  private static void checkLine(String file, int lineNo, String line, String pkg,
      List<String> forbidden, List<CodeRule> codeRules, List<Violation> out) {
    Matcher imp = IMPORT.matcher(line);
    boolean anyImport = false;
    while (imp.find()) {
      anyImport = true;
      String imported = imp.group(1).replaceAll("\\s", "");
      forbiddenMatch(imported, forbidden).ifPresent(rule ->
          out.add(new Violation(file, lineNo, pkg + " must not import " + imported
              + " (rule: " + rule + ")")));
    }
    if (anyImport || PACKAGE.matcher(line).find()) {
      return;
    }
    for (String rule : forbidden) {
      if (rule.contains(".") && qualifiedUse(rule).matcher(line).find()) {
        out.add(new Violation(file, lineNo, pkg + " must not use " + rule));
      }
    }
    boolean tickerSystem = file.endsWith("io/vigil/time/Ticker.java") && line.contains("SYSTEM");
    for (CodeRule rule : codeRules) {
      if (!tickerSystem && rule.pattern().matcher(line).find()) {
        out.add(new Violation(file, lineNo, rule.message()));
      }
    }
  }

  /** The rule an imported name breaks, if any. Handles {@code a.b.*} imports too. */
  static Optional<String> forbiddenMatch(String imported, List<String> forbidden) {
    boolean wildcard = imported.endsWith(".*");
    String name = wildcard ? imported.substring(0, imported.length() - 2) : imported;
    for (String rule : forbidden) {
      if (covers(rule, name) || (wildcard && isTypeIn(rule, name))) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  /** The rule names {@code name} itself or something that contains it. */
  private static boolean covers(String rule, String name) {
    if (rule.endsWith("*")) {
      return name.startsWith(rule.substring(0, rule.length() - 1));
    }
    return name.equals(rule) || name.startsWith(rule + ".");
  }

  /** The rule is a class (capitalised last part) directly in package {@code pkg}: pkg.* has it. */
  private static boolean isTypeIn(String rule, String pkg) {
    int dot = rule.lastIndexOf('.');
    return dot > 0 && Character.isUpperCase(rule.charAt(dot + 1))
        && rule.substring(0, dot).equals(pkg);
  }

  private static Pattern qualifiedUse(String rule) {
    String body = rule.endsWith("*")
        ? Pattern.quote(rule.substring(0, rule.length() - 1)) + "\\w*"
        : Pattern.quote(rule) + "(?!\\w)";
    return Pattern.compile("(?<![\\w.])" + body);
  }

  static boolean isPolicy(String pkg) {
    return POLICY_PACKAGES.stream().anyMatch(p -> within(pkg, p))
        && MECHANISM_UNDER_POLICY.stream().noneMatch(m -> within(pkg, m));
  }

  private static boolean within(String pkg, String root) {
    return pkg.equals(root) || pkg.startsWith(root + ".");
  }

  private static Optional<String> packageOf(String code) {
    Matcher m = PACKAGE.matcher(code);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * Blanks out comments, string/char literals and text blocks, keeping every newline so that line
   * numbers stay right; quotes are kept so the code still reads as code.
   */
  static String strip(String src) {
    StringBuilder out = new StringBuilder(src.length());
    int i = 0;
    while (i < src.length()) {
      if (src.startsWith("//", i)) {
        while (i < src.length() && src.charAt(i) != '\n') {
          i++;
        }
      } else if (src.startsWith("/*", i)) {
        i = blankUntil(src, i + 2, "*/", out.append("  "));
      } else if (src.startsWith("\"\"\"", i)) {
        i = blankUntil(src, i + 3, "\"\"\"", out.append("\"\"\""));
      } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
        char quote = src.charAt(i);
        i = blankUntil(src, i + 1, String.valueOf(quote), out.append(quote));
      } else {
        out.append(src.charAt(i++));
      }
    }
    return out.toString();
  }

  /** Blanks from {@code i} up to and including {@code end} (skipping escapes); returns after it. */
  private static int blankUntil(String src, int i, String end, StringBuilder out) {
    boolean literal = !end.equals("*/");
    while (i < src.length() && !src.startsWith(end, i)) {
      if (literal && src.charAt(i) == '\\' && i + 1 < src.length()) {
        out.append(' ');
        i++;
      }
      out.append(src.charAt(i) == '\n' ? '\n' : ' ');
      i++;
    }
    out.append(end.equals("*/") ? "  " : end);
    return Math.min(i + end.length(), src.length());
  }

  @SafeVarargs
  private static <T> List<T> concat(List<T>... lists) {
    return Stream.of(lists).flatMap(List::stream).toList();
  }

  // ---------------------------------------------------------------- the checker, tested

  @Test
  void selfTestFlagsAForbiddenImportWithFileAndLine() {
    String source = """
        package io.vigil.restart;

        import java.util.List;
        import java.net.Socket;

        final class Bad {}
        """;
    List<Violation> violations = check("io/vigil/restart/Bad.java", source);
    assertEquals(List.of(new Violation("io/vigil/restart/Bad.java", 4,
        "io.vigil.restart must not import java.net.Socket (rule: java.net)")), violations);
    assertEquals("io/vigil/restart/Bad.java:4: io.vigil.restart must not import java.net.Socket"
        + " (rule: java.net)", violations.get(0).toString());
  }

  @Test
  void selfTestImportRulesTable() {
    record Case(String pkg, String imported, boolean flagged) {}
    List<Case> cases = List.of(
        new Case("io.vigil.probe", "java.net.http.HttpClient", true),
        new Case("io.vigil.probe", "java.net.*", true),
        new Case("io.vigil.instance", "java.util.concurrent.Executors", true),
        new Case("io.vigil.instance", "java.util.concurrent.ExecutorService", true),
        new Case("io.vigil.instance", "java.util.concurrent.ScheduledExecutorService", true),
        new Case("io.vigil.instance", "java.util.concurrent.*", true), // would bring Executor in
        new Case("io.vigil.instance", "java.util.concurrent.CopyOnWriteArrayList", false),
        new Case("io.vigil.instance", "java.util.concurrent.atomic.AtomicLong", false),
        new Case("io.vigil.time", "java.lang.Thread", true),
        new Case("io.vigil.time", "java.lang.ThreadLocal", false),
        new Case("io.vigil.time", "java.lang.*", true),
        new Case("io.vigil.limits", "oshi.SystemInfo", true),
        new Case("io.vigil.limits", "io.netty.channel.Channel", true),
        new Case("io.vigil.limits", "io.prometheus.metrics.core.metrics.Gauge", true),
        new Case("io.vigil.limits", "org.glassfish.grizzly.http.server.HttpServer", true),
        new Case("io.vigil.restart", "io.vigil.control.ControlLoop", true),
        new Case("io.vigil.restart", "io.vigil.cli.Main", true),
        new Case("io.vigil.restart", "io.vigil.api.Resources", true),
        new Case("io.vigil.restart", "io.vigil.metrics.Exporter", true),
        new Case("io.vigil.restart", "io.vigil.controller.Thing", false), // not io.vigil.control
        new Case("io.vigil.restart", "io.vigil.agent.process.Launcher", true),
        new Case("io.vigil.restart", "io.vigil.agent.host.Sampler", true),
        new Case("io.vigil.restart", "io.vigil.agent.logs.LogFile", true),
        new Case("io.vigil.restart", "io.vigil.agent.ExitStatus", false), // the facade's records
        new Case("io.vigil.restart", "io.vigil.instance.InstanceId", false),
        new Case("io.vigil.restart", "io.vigil.*", false), // no subpackages via *
        new Case("io.vigil.probe", "io.vigil.probe.check.HttpCheck", true),
        new Case("io.vigil.probe.check", "java.net.Socket", false), // mechanism: not policy
        new Case("io.vigil.probe.check", "io.vigil.control.Events", false),
        new Case("io.vigil.lb", "io.netty.channel.Channel", true),
        new Case("io.vigil.lb", "java.net.InetSocketAddress", true),
        new Case("io.vigil.lb", "io.vigil.lb.netty.LoadBalancers", true),
        new Case("io.vigil.lb", "java.util.random.RandomGenerator", false),
        new Case("io.vigil.lb.netty", "io.netty.channel.Channel", false), // mechanism
        new Case("io.vigil.config", "java.net.URI", true),
        new Case("io.vigil.config", "io.netty.buffer.ByteBuf", true),
        new Case("io.vigil.config", "io.vigil.lb.netty.Frontend", true),
        new Case("io.vigil.config", "io.vigil.probe.check.HttpCheck", true),
        new Case("io.vigil.config", "io.vigil.control.ControlLoop", true),
        new Case("io.vigil.config", "java.util.concurrent.Executors", false), // mechanism only
        new Case("io.vigil.config", "com.typesafe.config.Config", false),
        new Case("io.vigil.control", "java.net.Socket", false), // mechanism is not checked
        new Case("io.vigil.cli", "java.util.concurrent.Executors", false));
    for (Case c : cases) {
      String source = "package " + c.pkg + ";\nimport " + c.imported + ";\nclass X {}\n";
      List<Violation> found = check("X.java", source);
      assertEquals(c.flagged, !found.isEmpty(), c + " -> " + found);
      found.forEach(v -> assertEquals(2, v.line(), v.toString()));
    }
  }

  @Test
  void selfTestStaticImportsAreChecked() {
    String source = "package io.vigil.probe;\nimport static java.lang.Thread.sleep;\n";
    assertEquals(1, check("X.java", source).size());
  }

  @Test
  void selfTestFlagsSleepsAndClockReadsInCodeButNotInCommentsOrStrings() {
    String source = """
        package io.vigil.probe;

        /** Never call Thread.sleep or System.nanoTime here. */
        final class Bad {
          // Thread.sleep(10); System.currentTimeMillis();
          String s = "Thread.sleep(1) System.nanoTime() java.net.Socket";
          char q = '"'; String t = "\\" Thread.sleep(2)";
          void a() throws Exception { Thread.sleep(10); }
          long b() { return System.nanoTime(); }
          long c() { return System.currentTimeMillis(); }
          java.util.function.LongSupplier d = System::nanoTime;
          Object e() { return java.time.Instant.now(); }
          Object f() { return new ProcessBuilder("ls"); }
          Object g() { return new java.net.Socket(); }
          /* Thread
             ProcessBuilder */ int h;
          String i = \"""
              Thread.sleep(3)
              \""";
        }
        """;
    List<String> found = check("io/vigil/probe/Bad.java", source).stream()
        .map(v -> v.line() + ": " + v.message()).toList();
    assertEquals(List.of(
        "8: Thread.sleep: policy never sleeps",
        "8: uses java.lang.Thread: policy has no threads",
        "9: reads the clock: take `now` from an injected io.vigil.time.Ticker",
        "10: reads the clock: take `now` from an injected io.vigil.time.Ticker",
        "11: reads the clock: take `now` from an injected io.vigil.time.Ticker",
        "12: reads the wall clock: take the time as a parameter",
        "13: uses java.lang.ProcessBuilder",
        "14: io.vigil.probe must not use java.net"), found);
  }

  @Test
  void selfTestTickerSystemIsTheOneAllowedClockRead() {
    String ticker = """
        package io.vigil.time;
        public interface Ticker {
          long nanos();
          Ticker SYSTEM = System::nanoTime;
        }
        """;
    assertEquals(List.of(), check("io/vigil/time/Ticker.java", ticker));
    String elsewhere = ticker.replace("interface Ticker", "interface Other");
    assertEquals(1, check("io/vigil/time/Other.java", elsewhere).size());
  }

  @Test
  void selfTestConfigMayUseThreadsButNotMechanism() {
    String source = """
        package io.vigil.config;
        final class Loader {
          void a() throws Exception { Thread.sleep(1); long t = System.nanoTime(); }
          Object b() { return new java.net.URI("x"); }
        }
        """;
    List<Violation> found = check("io/vigil/config/Loader.java", source);
    assertEquals(List.of(new Violation("io/vigil/config/Loader.java", 4,
        "io.vigil.config must not use java.net")), found);
  }

  @Test
  void selfTestStripKeepsLineNumbers() {
    String src = "a /* x\ny */ b \"c\nd\" // e\nf";
    String stripped = strip(src);
    assertEquals(src.split("\n", -1).length, stripped.split("\n", -1).length);
    assertTrue(stripped.startsWith("a "));
    assertTrue(stripped.endsWith("\nf"));
    assertTrue(!stripped.contains("x") && !stripped.contains("e"), stripped);
  }

  /** The web stack stays inside the API adapter; only the composition root knows the API. */
  @Test
  void onlyTheApiUsesJerseyAndGrizzlyAndOnlyTheCliUsesTheApi() throws IOException {
    Path root = sourceRoot();
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String code = strip(Files.readString(file, StandardCharsets.UTF_8));
        String pkg = packageOf(code).orElse("");
        Matcher imp = IMPORT.matcher(code);
        while (imp.find()) {
          String imported = imp.group(1).replaceAll("\\s", "");
          boolean web = imported.startsWith("org.glassfish.") || imported.startsWith("jakarta.ws.")
              || imported.startsWith("jakarta.inject.") || imported.startsWith("jakarta.annotation.");
          if (web && !within(pkg, "io.vigil.api")) {
            violations.add(root.relativize(file) + ": " + pkg + " imports " + imported);
          }
          if (within(imported, "io.vigil.api") && !within(pkg, "io.vigil.api")
              && !within(pkg, "io.vigil.cli")) {
            violations.add(root.relativize(file) + ": " + pkg + " imports " + imported);
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }
}

package io.vigil.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.vigil.agent.ProcessSample;
import io.vigil.control.InstanceView;
import io.vigil.control.ServiceView;
import io.vigil.control.SupervisorObserver.RestartCause;
import io.vigil.instance.InstanceId;
import io.vigil.instance.InstanceState;
import io.vigil.instance.Transition;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.ProbeKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the alert rules only use metrics that Vigil exports: every {@code vigil_},
 * {@code jvm_} and {@code process_} name in their queries must appear in a scrape of a registry
 * with one service, one instance, one probe result, one transition and one restart.
 */
class DashboardMetricsTest {
  private static final Pattern METRIC =
      Pattern.compile("(?<![\\w$.:])((?:vigil|jvm|process)_[a-zA-Z0-9_]*)");
  private static final Pattern EXPR = Pattern.compile("^(\\s*)(?:- )?expr:\\s*(.*)$");
  private static final Pattern SERIES = Pattern.compile("^\\s*- series:\\s*'([a-zA-Z_:][\\w:]*)");
  private static final Set<String> QUERY_KEYS = Set.of("expr", "query", "definition");

  @Test
  void dashboardQueriesUseOnlyExportedMetrics() throws IOException {
    List<String> queries = dashboardQueries();
    assertAllExported(namesIn(queries), "vigil-overview.json");
  }

  @Test
  void alertRulesAndTheirTestsUseOnlyExportedMetrics() throws IOException {
    Set<String> used = namesIn(ruleExprs(Files.readAllLines(Dashboards.alerts())));
    assertTrue(used.contains("vigil_service_failed"), used.toString());
    Files.readAllLines(Dashboards.alertTests()).stream().map(SERIES::matcher)
        .filter(Matcher::find).map(m -> m.group(1)).filter(n -> !n.equals("up"))
        .forEach(used::add);
    assertAllExported(used, "vigil-alerts.yml and vigil-alerts.test.yml");
  }

  @Test
  void dashboardHasTheAgreedPanelsAndVariables() throws IOException {
    String all = String.join("\n", dashboardQueries());
    for (String metric : List.of("vigil_service_instances_desired", "vigil_service_instances_ready",
        "vigil_service_failed", "vigil_instance_restarts_total",
        "vigil_probe_duration_seconds_bucket", "vigil_probe_failures_total",
        "vigil_instance_cpu_seconds_total", "vigil_instance_resident_memory_bytes",
        "vigil_control_loop_responsive", "jvm_memory_used_bytes", "process_cpu_seconds_total")) {
      assertTrue(all.contains(metric), "no panel shows " + metric);
    }
    assertTrue(all.contains("label_values(vigil_service_instances_desired"), all);
    String json = Files.readString(Dashboards.overview());
    assertTrue(json.contains("\"uid\": \"${DS_PROMETHEUS}\""), "panels use the datasource variable");
    assertTrue(json.contains("\"schemaVersion\": 39"), "schemaVersion");
  }

  @Test
  void everyAlertHasASeverityASummaryAndADescription() throws IOException {
    String rules = Files.readString(Dashboards.alerts());
    List<String> alerts = Pattern.compile("- alert: (\\w+)").matcher(rules).results()
        .map(m -> m.group(1)).toList();
    assertTrue(alerts.containsAll(List.of("VigilDown", "VigilWatchdogLate", "VigilServiceFailed",
        "VigilCrashLooping", "VigilInstanceNotReady")), alerts.toString());
    for (String key : List.of("severity:", "summary:", "description:")) {
      assertEquals(alerts.size(), rules.split("\n\\s*" + key, -1).length - 1, key);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void assertAllExported(Set<String> used, String where) {
    Set<String> exported = exported();
    Set<String> missing = used.stream().filter(n -> !exported.contains(n))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), missing, where + " uses metrics that Vigil does not export");
    assertTrue(used.size() > 5, "found too few metric names (" + used + "): is the parsing broken?");
  }

  /** Sample and family names of a scrape; _bucket, _count and _sum are sample names. */
  private static Set<String> exported() {
    InstanceId web0 = new InstanceId("web", 0);
    FakeCommands commands = new FakeCommands().answering(new ServiceView("web", 1, List.of(
        new InstanceView(web0, InstanceState.READY, 42L, null, Instant.now(), 0, null, Map.of(),
            new ProcessSample(42, 1, 1, 1, 1)))));
    try (VigilMetrics metrics = new VigilMetrics(commands)) {
      commands.events.add(new Transition(Instant.now(), web0, InstanceState.EXITED,
          InstanceState.STARTING, "test", 42L, null, null));
      metrics.onProbesStarted(web0, EnumSet.of(ProbeKind.READINESS));
      metrics.onProbe(web0, ProbeKind.READINESS, CheckOutcome.success("ok"), Duration.ofMillis(1));
      metrics.onRestart(web0, RestartCause.EXIT);
      String text = metrics.scrapeText();
      Set<String> names = new TreeSet<>();
      Exposition.parse(text).forEach(s -> names.add(s.name()));
      Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(text).results()
          .forEach(m -> names.add(m.group(1)));
      return names;
    }
  }

  private static Set<String> namesIn(List<String> queries) {
    Set<String> names = new TreeSet<>();
    for (String q : queries) {
      METRIC.matcher(q).results().forEach(m -> names.add(m.group(1)));
    }
    return names;
  }

  private static List<String> dashboardQueries() {
    Object root = ConfigFactory.parseFile(Dashboards.overview().toFile(),
        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)).root().unwrapped();
    List<String> found = new ArrayList<>();
    collect(root, null, found);
    return found;
  }

  private static void collect(Object node, String key, List<String> found) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collect(v, k.toString(), found));
    } else if (node instanceof List<?> list) {
      list.forEach(v -> collect(v, key, found));
    } else if (node instanceof String s && QUERY_KEYS.contains(key)) {
      found.add(s);
    }
  }

  /** {@code expr:} values, single-line or YAML block scalars ({@code |}, {@code >}). */
  static List<String> ruleExprs(List<String> lines) {
    List<String> exprs = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = EXPR.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      StringBuilder expr = new StringBuilder(m.group(2));
      if (m.group(2).matches("[|>][-+]?")) {
        expr.setLength(0);
        int indent = m.group(1).length();
        while (i + 1 < lines.size() && (lines.get(i + 1).isBlank()
            || lines.get(i + 1).length() - lines.get(i + 1).stripLeading().length() > indent)) {
          expr.append(lines.get(++i).strip()).append('\n');
        }
      }
      exprs.add(expr.toString());
    }
    return exprs;
  }

  @Test
  void ruleExprsReadsBlockScalars() {
    assertEquals(List.of("up == 0", "a\nb\n"), ruleExprs(List.of(
        "  - alert: X", "    expr: up == 0", "  - alert: Y", "    expr: |", "      a", "      b",
        "    for: 1m")));
  }
}

package io.vigil.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.ProcessSample;
import io.vigil.control.InstanceView;
import io.vigil.control.ServiceView;
import io.vigil.control.SupervisorObserver.RestartCause;
import io.vigil.instance.InstanceId;
import io.vigil.instance.InstanceState;
import io.vigil.instance.Transition;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.ProbeKind;
import io.vigil.time.FakeTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VigilMetricsTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant STARTED = Instant.parse("2029-12-31T23:00:00Z");
  private static final InstanceId WEB0 = new InstanceId("web", 0);

  private final FakeCommands commands = new FakeCommands();
  private final FakeTicker ticker = new FakeTicker(1_000_000_000_000L);
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private VigilMetrics metrics;

  @AfterEach
  void close() {
    if (metrics != null) {
      metrics.close();
    }
  }

  private VigilMetrics metrics() {
    return metrics(null, VigilMetrics.WAIT);
  }

  private VigilMetrics metrics(Supplier<CompletableFuture<Void>> ping, Duration wait) {
    metrics = new VigilMetrics(commands, ping, ticker, clock, wait);
    return metrics;
  }

  private static InstanceView instance(String service, int index, InstanceState state, Long pid,
      ProcessSample sample) {
    return new InstanceView(new InstanceId(service, index), state, pid, null,
        pid == null ? null : STARTED, 0, null, Map.of(), sample);
  }

  private static Optional<Double> value(String text, String name, String... labels) {
    return Exposition.value(text, name, labels);
  }

  // ---------------------------------------------------------------- instance and service gauges

  @Test
  void readyInstanceReportsItsStateAndLatestSample() {
    // Given a ready instance whose latest sample is of its current process
    commands.answering(new ServiceView("web", 1, List.of(instance("web", 0, InstanceState.READY,
        42L, new ProcessSample(42, 1.5, 64 << 20, 9, 12)))));
    // When scraped
    String text = metrics().scrapeText();
    // Then
    String[] web0 = {"service", "web", "index", "0"};
    assertEquals(Optional.of(1.0), value(text, "vigil_instance_up", web0));
    assertEquals(Optional.of(1.0), value(text, "vigil_instance_ready", web0));
    assertEquals(Optional.of(1.0), value(text, "vigil_instance_state",
        "service", "web", "index", "0", "state", "ready"));
    assertEquals(Optional.of(0.0), value(text, "vigil_instance_state",
        "service", "web", "index", "0", "state", "running"));
    assertEquals(7, Exposition.parse(text).stream()
        .filter(s -> s.name().equals("vigil_instance_state")).count());
    assertEquals(Optional.of(1.5), value(text, "vigil_instance_cpu_seconds_total", web0));
    assertEquals(Optional.of((double) (64 << 20)),
        value(text, "vigil_instance_resident_memory_bytes", web0));
    assertEquals(Optional.of(9.0), value(text, "vigil_instance_threads", web0));
    assertEquals(Optional.of(12.0), value(text, "vigil_instance_open_fds", web0));
    assertEquals(Optional.of((double) STARTED.getEpochSecond()),
        value(text, "vigil_instance_start_time_seconds", web0));
    assertTrue(text.contains("# TYPE vigil_instance_cpu_seconds_total counter"), text);
  }

  @Test
  void instanceWithoutProcessIsDownAndHasNoResourceMetrics() {
    // Given a FAILED instance that still holds the sample of its last process
    commands.answering(new ServiceView("loop", 1, List.of(instance("loop", 0,
        InstanceState.FAILED, null, new ProcessSample(42, 1.5, 1000, 1, 1)))));
    // When scraped
    String text = metrics().scrapeText();
    // Then it is down, in state failed, and has no CPU, memory or start time
    String[] loop0 = {"service", "loop", "index", "0"};
    assertEquals(Optional.of(0.0), value(text, "vigil_instance_up", loop0));
    assertEquals(Optional.of(0.0), value(text, "vigil_instance_ready", loop0));
    assertEquals(Optional.of(1.0), value(text, "vigil_instance_state",
        "service", "loop", "index", "0", "state", "failed"));
    assertEquals(Optional.empty(), value(text, "vigil_instance_cpu_seconds_total", loop0));
    assertEquals(Optional.empty(), value(text, "vigil_instance_resident_memory_bytes", loop0));
    assertEquals(Optional.empty(), value(text, "vigil_instance_start_time_seconds", loop0));
  }

  @Test
  void sampleOfThePreviousProcessIsLeftOut() {
    // Given an instance restarted as pid 43 whose latest sample is still of pid 42
    commands.answering(new ServiceView("web", 1, List.of(instance("web", 0,
        InstanceState.STARTING, 43L, new ProcessSample(42, 99, 1000, 1, 1)))));
    // When scraped
    String text = metrics().scrapeText();
    // Then the old CPU time is not reported against the new process
    assertEquals(Optional.of(1.0), value(text, "vigil_instance_up", "service", "web"));
    assertEquals(Optional.empty(), value(text, "vigil_instance_cpu_seconds_total"));
  }

  @Test
  void serviceGaugesCountDesiredReadyAndFailedInstances() {
    // Given a service of 3: ready, running (not ready), failed
    commands.answering(new ServiceView("api", 3, List.of(
        instance("api", 0, InstanceState.READY, 10L, null),
        instance("api", 1, InstanceState.RUNNING, 11L, null),
        instance("api", 2, InstanceState.FAILED, null, null))));
    // When scraped
    String text = metrics().scrapeText();
    // Then
    assertEquals(Optional.of(3.0), value(text, "vigil_service_instances_desired", "service", "api"));
    assertEquals(Optional.of(1.0), value(text, "vigil_service_instances_ready", "service", "api"));
    assertEquals(Optional.of(1.0), value(text, "vigil_service_failed", "service", "api"));
  }

  // ---------------------------------------------------------------- counters fed by events

  @Test
  void restartsAreCountedByReason() {
    // Given
    VigilMetrics m = metrics();
    // When the supervisor reports two exits and a liveness failure
    m.onRestart(WEB0, RestartCause.EXIT);
    m.onRestart(WEB0, RestartCause.EXIT);
    m.onRestart(WEB0, RestartCause.LIVENESS);
    // Then
    String text = m.scrapeText();
    assertEquals(Optional.of(2.0), value(text, "vigil_instance_restarts_total",
        "service", "web", "index", "0", "reason", "exit"));
    assertEquals(Optional.of(1.0), value(text, "vigil_instance_restarts_total",
        "service", "web", "index", "0", "reason", "liveness"));
  }

  @Test
  void countersStartAtZeroOnceAnInstanceExists() {
    // Given
    VigilMetrics m = metrics();
    // When the instance's first transition is logged
    commands.events.add(transition(WEB0, InstanceState.EXITED, InstanceState.STARTING));
    // Then every restart reason is there at 0, so increase() sees the first one
    String text = m.scrapeText();
    for (RestartCause cause : RestartCause.values()) {
      assertEquals(Optional.of(0.0), value(text, "vigil_instance_restarts_total",
          "service", "web", "index", "0", "reason", cause.label()), cause.label());
    }
    // When its probing starts with a liveness and a startup probe
    m.onProbesStarted(WEB0, EnumSet.of(ProbeKind.LIVENESS, ProbeKind.STARTUP));
    // Then those two probes' failures are there at 0, and the probe it does not have is not
    text = m.scrapeText();
    for (ProbeKind kind : List.of(ProbeKind.LIVENESS, ProbeKind.STARTUP)) {
      assertEquals(Optional.of(0.0), value(text, "vigil_probe_failures_total",
          "service", "web", "index", "0", "probe", kind.key()), kind.key());
    }
    assertEquals(Optional.empty(), value(text, "vigil_probe_failures_total",
        "service", "web", "index", "0", "probe", "readiness"));
  }

  @Test
  void probesAreTimedAndFailuresCounted() {
    // Given
    VigilMetrics m = metrics();
    // When one liveness probe passes in 3 ms and one fails after 40 ms
    m.onProbe(WEB0, ProbeKind.LIVENESS, CheckOutcome.success("200"), Duration.ofMillis(3));
    m.onProbe(WEB0, ProbeKind.LIVENESS, CheckOutcome.failure("timeout"), Duration.ofMillis(40));
    // Then
    String text = m.scrapeText();
    String[] live = {"service", "web", "probe", "liveness"};
    assertEquals(Optional.of(2.0), value(text, "vigil_probe_duration_seconds_count", live));
    assertEquals(0.043, value(text, "vigil_probe_duration_seconds_sum", live).orElseThrow(), 1e-9);
    assertEquals(Optional.of(1.0), value(text, "vigil_probe_duration_seconds_bucket",
        "service", "web", "probe", "liveness", "le", "0.005"));
    assertEquals(Optional.of(2.0), value(text, "vigil_probe_duration_seconds_bucket",
        "service", "web", "probe", "liveness", "le", "0.05"));
    assertEquals(Optional.of(1.0), value(text, "vigil_probe_failures_total",
        "service", "web", "index", "0", "probe", "liveness"));
  }

  @Test
  void durationsAreKeptByServiceAndProbeAndFailuresByInstanceAndProbe() {
    // Given
    VigilMetrics m = metrics();
    InstanceId web1 = new InstanceId("web", 1);
    InstanceId api0 = new InstanceId("api", 0);
    for (InstanceId id : List.of(WEB0, web1, api0)) {
      commands.events.add(transition(id, InstanceState.EXITED, InstanceState.STARTING));
    }
    m.onProbesStarted(WEB0, EnumSet.of(ProbeKind.LIVENESS, ProbeKind.READINESS));
    m.onProbesStarted(web1, EnumSet.of(ProbeKind.LIVENESS, ProbeKind.READINESS));
    m.onProbesStarted(api0, EnumSet.of(ProbeKind.LIVENESS));
    // When web/0's liveness fails twice, its readiness passes once, web/1's liveness passes and
    // api/0's liveness fails once
    m.onProbe(WEB0, ProbeKind.LIVENESS, CheckOutcome.failure("refused"), Duration.ofMillis(1));
    m.onProbe(WEB0, ProbeKind.READINESS, CheckOutcome.success("200"), Duration.ofMillis(1));
    m.onProbe(web1, ProbeKind.LIVENESS, CheckOutcome.success("200"), Duration.ofMillis(1));
    m.onProbe(WEB0, ProbeKind.LIVENESS, CheckOutcome.failure("refused"), Duration.ofMillis(1));
    m.onProbe(api0, ProbeKind.LIVENESS, CheckOutcome.failure("refused"), Duration.ofMillis(1));
    // Then each service's and probe's results are timed in one histogram, with no index label
    String text = m.scrapeText();
    assertProbeResults(text, "web", "liveness", 3);
    assertProbeResults(text, "web", "readiness", 1);
    assertProbeResults(text, "api", "liveness", 1);
    assertEquals(Optional.empty(), value(text, "vigil_probe_duration_seconds_count",
        "service", "api", "probe", "readiness"), "no histogram for a probe that never ran");
    assertTrue(Exposition.parse(text).stream()
        .filter(sample -> sample.name().startsWith("vigil_probe_duration_seconds"))
        .noneMatch(sample -> sample.labels().containsKey("index")), text);
    // and each failure in its own instance's and probe's counter only
    assertProbeFailures(text, "web", "0", "liveness", 2);
    assertProbeFailures(text, "web", "0", "readiness", 0);
    assertProbeFailures(text, "web", "1", "liveness", 0);
    assertProbeFailures(text, "api", "0", "liveness", 1);
    assertEquals(Optional.empty(), value(text, "vigil_probe_failures_total",
        "service", "api", "index", "0", "probe", "readiness"), "api has no readiness probe");
  }

  private static void assertProbeResults(String text, String service, String probe,
      double results) {
    assertEquals(Optional.of(results), value(text, "vigil_probe_duration_seconds_count",
        "service", service, "probe", probe), "results of " + service + " " + probe);
  }

  private static void assertProbeFailures(String text, String service, String index,
      String probe, double failures) {
    assertEquals(Optional.of(failures), value(text, "vigil_probe_failures_total",
        "service", service, "index", index, "probe", probe),
        "failures of " + service + "/" + index + " " + probe);
  }

  @Test
  void transitionsAreCountedByServiceAndNewState() {
    // Given
    VigilMetrics m = metrics();
    // When web/0 and web/1 start and one of them exits
    commands.events.add(transition(WEB0, InstanceState.EXITED, InstanceState.STARTING));
    commands.events.add(transition(new InstanceId("web", 1), InstanceState.EXITED,
        InstanceState.STARTING));
    commands.events.add(transition(WEB0, InstanceState.STARTING, InstanceState.EXITED));
    // Then
    String text = m.scrapeText();
    assertEquals(Optional.of(2.0),
        value(text, "vigil_transitions_total", "service", "web", "to", "starting"));
    assertEquals(Optional.of(1.0),
        value(text, "vigil_transitions_total", "service", "web", "to", "exited"));
  }

  @Test
  void closeStopsListeningToTheEventLog() {
    // Given
    VigilMetrics m = metrics();
    commands.events.add(transition(WEB0, InstanceState.EXITED, InstanceState.STARTING));
    // When
    m.close();
    commands.events.add(transition(WEB0, InstanceState.EXITED, InstanceState.STARTING));
    // Then
    assertEquals(Optional.of(1.0), value(m.scrapeText(), "vigil_transitions_total"));
  }

  // ---------------------------------------------------------------- one reading per scrape

  @Test
  void oneSnapshotServesEveryMetricOfAScrape() {
    // Given
    commands.answering(new ServiceView("web", 1, List.of(
        instance("web", 0, InstanceState.READY, 42L, new ProcessSample(42, 1, 1, 1, 1)))));
    VigilMetrics m = metrics();
    // When scraped once: a dozen callback metrics read the services
    m.scrapeText();
    // Then the control loop was asked once
    assertEquals(1, commands.servicesCalls.get());
    // And a scrape a second later asks again
    ticker.advance(VigilMetrics.SNAPSHOT_MAX_AGE);
    m.scrapeText();
    assertEquals(2, commands.servicesCalls.get());
  }

  @Test
  void pingLatencyAndLastAnswerAreReported() {
    // Given a control loop that answers a ping in 3 ms
    commands.answering(new ServiceView("web", 1, List.of()));
    Supplier<CompletableFuture<Void>> ping = () -> {
      ticker.advance(Duration.ofMillis(3));
      return CompletableFuture.completedFuture(null);
    };
    // When scraped
    String text = metrics(ping, VigilMetrics.WAIT).scrapeText();
    // Then
    assertEquals(Optional.of(1.0), value(text, "vigil_control_loop_responsive"));
    assertEquals(0.003, value(text, "vigil_control_loop_latency_seconds").orElseThrow(), 1e-9);
    assertEquals(Optional.of((double) NOW.getEpochSecond()),
        value(text, "vigil_control_loop_last_response_timestamp_seconds"));
    assertEquals(1, commands.servicesCalls.get());
  }

  @Test
  void stuckControlLoopIsReportedAndInstanceMetricsAreLeftOut() {
    // Given a loop that answers one ping, then none: the "wait" is 1 ns of real time, and the
    // fake ping moves the ticker by the 2 s a real wait would have lasted
    commands.answering(new ServiceView("web", 1, List.of(
        instance("web", 0, InstanceState.READY, 42L, null))));
    AtomicBoolean stuck = new AtomicBoolean(false);
    Supplier<CompletableFuture<Void>> ping = () -> {
      if (!stuck.get()) {
        return CompletableFuture.completedFuture(null);
      }
      ticker.advance(Duration.ofSeconds(2));
      return new CompletableFuture<>();
    };
    VigilMetrics m = metrics(ping, Duration.ofNanos(1));
    m.scrapeText();
    // When the loop gets stuck and a later scrape comes
    stuck.set(true);
    ticker.advance(Duration.ofSeconds(15));
    String text = m.scrapeText();
    // Then it says so, keeps the time of the last answer, and did not ask for the services
    assertEquals(Optional.of(0.0), value(text, "vigil_control_loop_responsive"));
    assertEquals(2.0, value(text, "vigil_control_loop_latency_seconds").orElseThrow(), 1e-9);
    assertEquals(Optional.of((double) NOW.getEpochSecond()),
        value(text, "vigil_control_loop_last_response_timestamp_seconds"));
    assertEquals(Optional.empty(), value(text, "vigil_instance_up"));
    assertEquals(Optional.empty(), value(text, "vigil_service_instances_desired"));
    assertEquals(1, commands.servicesCalls.get());
  }

  @Test
  void withoutPingTheServicesAnswerIsTheSignOfLife() {
    // Given a control loop whose services call fails, and no ping
    commands.answering(() -> CompletableFuture.failedFuture(new IllegalStateException("closed")));
    // When scraped
    String text = metrics().scrapeText();
    // Then
    assertEquals(Optional.of(0.0), value(text, "vigil_control_loop_responsive"));
    assertEquals(Optional.empty(), value(text, "vigil_control_loop_last_response_timestamp_seconds"));
  }

  @Test
  void aThrowingCommandsStillGivesAScrape() {
    // Given a Commands with a bug
    commands.answering(() -> {
      throw new IllegalStateException("bug");
    });
    // When scraped
    String text = metrics().scrapeText();
    // Then the scrape works and says the loop did not answer
    assertEquals(Optional.of(0.0), value(text, "vigil_control_loop_responsive"));
    assertTrue(text.contains("jvm_memory_used_bytes"), text);
  }

  // ---------------------------------------------------------------- Vigil itself

  @Test
  void buildInfoAndJvmMetricsAreIncluded() {
    String text = metrics().scrapeText();
    assertEquals(Optional.of(1.0), value(text, "vigil_build_info", "version", "dev"));
    assertTrue(value(text, "jvm_memory_used_bytes", "area", "heap").orElseThrow() > 0);
    assertTrue(value(text, "process_cpu_seconds_total").isPresent(), text);
  }

  @Test
  void eachInstanceHasItsOwnRegistry() {
    // Given two at once (would fail with "duplicate metric name" on a shared registry)
    VigilMetrics first = metrics();
    try (VigilMetrics second = new VigilMetrics(new FakeCommands())) {
      // When one counts a restart, the other does not see it
      first.onRestart(WEB0, RestartCause.EXIT);
      assertEquals(Optional.empty(), value(second.scrapeText(), "vigil_instance_restarts_total"));
    }
  }

  private Transition transition(InstanceId id, InstanceState from, InstanceState to) {
    return new Transition(NOW, id, from, to, "test", null, null, null);
  }
}

package io.vigil.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vigil.control.InstanceView;
import io.vigil.control.ServiceView;
import io.vigil.instance.InstanceId;
import io.vigil.instance.InstanceState;
import io.vigil.time.FakeTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the per-instance collector keeps between scrapes: label sets, and only of live ones. */
class InstanceMetricsTest {
  private final FakeCommands commands = new FakeCommands();
  private final FakeTicker ticker = new FakeTicker(0);
  private final InstanceMetrics metrics = new InstanceMetrics(new ScrapeReader(commands::servicesWithSamples,
      null, ticker, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), Duration.ofSeconds(2),
      Duration.ofSeconds(1)));

  private static ServiceView web(int... indexes) {
    List<InstanceView> instances = java.util.Arrays.stream(indexes)
        .mapToObj(i -> new InstanceView(new InstanceId("web", i), InstanceState.RUNNING, null,
            null, null, 0, null, Map.of(), null))
        .toList();
    return new ServiceView("web", indexes.length, instances);
  }

  private MetricSnapshots scrape() {
    ticker.advance(Duration.ofSeconds(15)); // a new reading each time
    return metrics.collect();
  }

  private static List<Labels> labels(MetricSnapshots snapshots, String name) {
    MetricSnapshot metric = snapshots.stream()
        .filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    return metric.getDataPoints().stream().map(DataPointSnapshot::getLabels).toList();
  }

  @Test
  void labelsAreBuiltOnceAndSharedByTheInstancesSeries() {
    commands.answering(web(0, 1));
    MetricSnapshots first = scrape();
    MetricSnapshots second = scrape();
    assertSame(labels(first, "vigil_instance_up").get(1),
        labels(second, "vigil_instance_up").get(1));
    assertSame(labels(first, "vigil_instance_up").get(0),
        labels(second, "vigil_instance_ready").get(0));
    assertSame(labels(first, "vigil_instance_state").get(3),
        labels(second, "vigil_instance_state").get(3));
    assertEquals(Labels.of("service", "web", "index", "1"),
        labels(second, "vigil_instance_up").get(1));
  }

  @Test
  void anInstanceNoLongerListedLeavesTheSeriesAndTheCache() {
    commands.answering(web(0, 1, 2));
    assertEquals(3, labels(scrape(), "vigil_instance_up").size());
    assertEquals(3, metrics.cachedInstances());
    commands.answering(web(0));
    assertEquals(List.of(Labels.of("service", "web", "index", "0")),
        labels(scrape(), "vigil_instance_up"));
    assertEquals(1, metrics.cachedInstances());
  }
}

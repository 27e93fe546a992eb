package io.vigil.api;

import io.vigil.agent.ExitStatus;
import io.vigil.agent.ProcessSample;
import io.vigil.api.json.EventJson;
import io.vigil.api.json.InstanceJson;
import io.vigil.api.json.LastExitJson;
import io.vigil.api.json.ProbeResultJson;
import io.vigil.api.json.ReloadResultJson;
import io.vigil.api.json.ServiceJson;
import io.vigil.control.InstanceView;
import io.vigil.control.ReloadResult;
import io.vigil.control.ServiceView;
import io.vigil.instance.Transition;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.ProbeKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copies domain views into the JSON records of {@code io.vigil.api.json}. Stateless. */
final class ToJson {
  /** Always three fractional digits, so times sort and line up as text. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ToJson() {}

  static ServiceJson service(ServiceView view, Instant now) {
    return new ServiceJson(view.name(), view.desired(), (int) view.ready(), (int) view.failed(),
        view.instances().stream().map(i -> instance(i, now)).toList());
  }

  static InstanceJson instance(InstanceView v, Instant now) {
    ProcessSample sample = v.pid() != null && v.lastSample() != null
        && v.lastSample().pid() == v.pid() ? v.lastSample() : null;
    return new InstanceJson(
        v.id().service(),
        v.id().index(),
        v.state().name(),
        v.ready(),
        v.pid(),
        v.port(),
        v.startedAt() == null ? null : time(v.startedAt()),
        v.startedAt() == null ? null : uptimeSeconds(v.startedAt(), now),
        v.restarts(),
        v.lastExit() == null ? null : lastExit(v.lastExit()),
        probes(v.lastProbes()),
        sample == null ? null : sample.cpuSeconds(),
        sample == null ? null : sample.residentBytes());
  }

  static EventJson event(Transition t) {
    return new EventJson(time(t.at()), t.instance().service(), t.instance().index(),
        t.from().name(), t.to().name(), t.reason(), t.pid(), t.exitCode(), t.signal());
  }

  static ReloadResultJson reload(ReloadResult r) {
    return new ReloadResultJson(r.added(), r.removed(), r.changed(), r.unchanged());
  }

  static String time(Instant at) {
    return TIME.format(at);
  }

  private static double uptimeSeconds(Instant startedAt, Instant now) {
    return Math.max(0, Duration.between(startedAt, now).toMillis()) / 1000.0;
  }

  private static LastExitJson lastExit(ExitStatus exit) {
    return new LastExitJson(exit.code(), exit.signal(), exit.describe());
  }

  /** In the kubelet's order: startup, liveness, readiness; only probes with a result. */
  private static Map<String, ProbeResultJson> probes(Map<ProbeKind, CheckOutcome> outcomes) {
    Map<String, ProbeResultJson> probes = new LinkedHashMap<>();
    for (ProbeKind kind : ProbeKind.values()) {
      CheckOutcome outcome = outcomes.get(kind);
      if (outcome != null) {
        probes.put(kind.key(), new ProbeResultJson(outcome.success(), outcome.detail()));
      }
    }
    return probes;
  }
}

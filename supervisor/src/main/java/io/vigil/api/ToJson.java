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
import io.vigil.api.json.LbStateJson;
import io.vigil.instance.InstanceEvent;
import io.vigil.instance.InstanceId;
import io.vigil.instance.RotationChange;
import io.vigil.instance.Transition;
import io.vigil.lb.EndpointState;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.ProbeKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Copies domain views into the JSON records of {@code io.vigil.api.json}. Stateless. */
final class ToJson {
  /** Always three fractional digits, so times sort and line up as text. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  static final String TRANSITION = "transition";
  static final String ROTATION = "rotation";
  static final String NOT_READY = "NOT_READY";

  private ToJson() {}

  static ServiceJson service(ServiceView view, Instant now) {
    return new ServiceJson(view.name(), view.desired(), (int) view.ready(), (int) view.failed(),
        view.instances().stream().map(i -> instance(i, view.loadBalancer(), now)).toList());
  }

  /** An instance, with its state in {@code lb}, the view of its service's load balancer. */
  static InstanceJson instance(InstanceView v, Optional<List<EndpointState>> lb, Instant now) {
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
        sample == null ? null : sample.residentBytes(),
        lb.map(states -> lbState(v.id(), states, now)).orElse(null));
  }

  /** An instance the load balancer does not list is out of the ready list, with nothing left. */
  private static LbStateJson lbState(InstanceId id, List<EndpointState> states, Instant now) {
    return states.stream().filter(s -> s.instance().equals(id)).findFirst()
        .map(s -> new LbStateJson(s.status().name(), s.inRotation(),
            s.ejected() ? time(now.plusNanos(s.ejectedForNanos().getAsLong())) : null,
            s.weight(), s.inFlight(), s.timesEjected(), s.consecutive5xx(),
            s.consecutiveGatewayErrors(), s.consecutiveLocalFailures()))
        .orElse(new LbStateJson(NOT_READY, false, null, 0, 0, 0, 0, 0, 0));
  }

  /** The event's SSE name is its {@code kind}. */
  static EventJson event(InstanceEvent event) {
    String service = event.instance().service();
    int index = event.instance().index();
    if (event instanceof Transition t) {
      return new EventJson(time(t.at()), TRANSITION, service, index, t.from().name(),
          t.to().name(), t.reason(), t.pid(), t.exitCode(), t.signal(), null);
    }
    RotationChange r = (RotationChange) event; // the only other kind (sealed)
    return new EventJson(time(r.at()), ROTATION, service, index, r.from().name(),
        r.to().name(), r.reason(), null, null, null, r.until() == null ? null : time(r.until()));
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

package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vigil.agent.ExitStatus;
import io.vigil.agent.ProcessSample;
import io.vigil.api.json.InstanceJson;
import io.vigil.control.InstanceView;
import io.vigil.control.ServiceView;
import io.vigil.instance.InstanceId;
import io.vigil.instance.InstanceState;
import io.vigil.instance.Rotation;
import io.vigil.instance.RotationChange;
import io.vigil.instance.Transition;
import io.vigil.lb.EndpointState;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.ProbeKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ToJsonTest {
  private static final Instant STARTED = Instant.parse("2026-11-27T03:00:00Z");
  private final ApiJson json = new ApiJson();

  @Test
  void aRunningInstanceHasTheDocumentedShape() throws Exception {
    // Given a READY instance with a sample, a previous exit and two probe results
    InstanceView view = new InstanceView(new InstanceId("web", 0), InstanceState.READY, 1234L,
        18080, STARTED, 1, ExitStatus.exited(3),
        Map.of(ProbeKind.READINESS, CheckOutcome.failure("HTTP 503"),
            ProbeKind.LIVENESS, CheckOutcome.success("HTTP 200")),
        new ProcessSample(1234L, 1.25, 52_428_800L, 4, 10));

    // When written 12.5 s after the start
    String written = json.write(
        ToJson.instance(view, Optional.empty(), STARTED.plusMillis(12_500)));

    // Then it is exactly the documented JSON, probes in the kubelet's order
    assertEquals("{\"service\":\"web\",\"id\":0,\"state\":\"READY\",\"ready\":true,\"pid\":1234,"
        + "\"port\":18080,\"startedAt\":\"2026-11-27T03:00:00.000Z\",\"uptimeSeconds\":12.5,"
        + "\"restarts\":1,\"lastExit\":{\"code\":3,\"signal\":null,\"description\":\"exit code 3\"},"
        + "\"probes\":{\"liveness\":{\"success\":true,\"detail\":\"HTTP 200\"},"
        + "\"readiness\":{\"success\":false,\"detail\":\"HTTP 503\"}},"
        + "\"cpuSeconds\":1.25,\"residentBytes\":52428800,\"loadBalancer\":null}", written);
  }

  @Test
  void anInstanceWithoutAProcessHasNulls() throws Exception {
    // Given an EXITED instance whose last sample belonged to its previous process
    InstanceView view = new InstanceView(new InstanceId("job", 2), InstanceState.EXITED, null,
        null, null, 0, null, Map.of(), new ProcessSample(99L, 3.0, 1L, 1, 1));

    InstanceJson out = ToJson.instance(view, Optional.empty(), STARTED);

    assertNull(out.pid());
    assertNull(out.startedAt());
    assertNull(out.uptimeSeconds());
    assertNull(out.lastExit());
    assertNull(out.cpuSeconds());
    assertNull(out.residentBytes());
    assertEquals("{\"service\":\"job\",\"id\":2,\"state\":\"EXITED\",\"ready\":false,\"pid\":null,"
        + "\"port\":null,\"startedAt\":null,\"uptimeSeconds\":null,\"restarts\":0,"
        + "\"lastExit\":null,\"probes\":{},\"cpuSeconds\":null,\"residentBytes\":null,"
        + "\"loadBalancer\":null}",
        json.write(out));
  }

  @Test
  void aServiceCountsReadyAndFailed() throws Exception {
    InstanceView ready = new InstanceView(new InstanceId("web", 0), InstanceState.READY, 1L,
        null, STARTED, 0, null, Map.of(), null);
    InstanceView failed = new InstanceView(new InstanceId("web", 1), InstanceState.FAILED, null,
        null, null, 10, ExitStatus.killed(9), Map.of(), null);
    String written = json.write(
        ToJson.service(new ServiceView("web", 2, List.of(ready, failed)), STARTED));
    assertEquals("{\"name\":\"web\",\"desired\":2,\"ready\":1,\"failed\":1,\"instances\":[",
        written.substring(0, written.indexOf('[') + 1));
    assertEquals("{\"code\":null,\"signal\":9,\"description\":\"killed by SIGKILL\"}",
        json.write(ToJson.instance(failed, Optional.empty(), STARTED).lastExit()));
  }

  @Test
  void anEventHasTheDocumentedShape() throws Exception {
    Transition t = new Transition(Instant.parse("2026-11-27T03:00:00.123456Z"),
        new InstanceId("web", 0), InstanceState.READY, InstanceState.EXITED,
        "exited: exit code 3", 1234L, 3, null);
    assertEquals("{\"time\":\"2026-11-27T03:00:00.123Z\",\"kind\":\"transition\","
        + "\"service\":\"web\",\"instance\":0,\"from\":\"READY\",\"to\":\"EXITED\","
        + "\"reason\":\"exited: exit code 3\",\"pid\":1234,\"exitCode\":3,\"signal\":null,"
        + "\"until\":null}", json.write(ToJson.event(t)));
  }

  @Test
  void anEjectionHasTheDocumentedShape() throws Exception {
    RotationChange ejected = new RotationChange(Instant.parse("2026-11-27T03:00:00.123Z"),
        new InstanceId("web", 0), Rotation.IN_ROTATION, Rotation.EJECTED,
        "5 consecutive 5xx responses; ejected for 30s (ejection 1 in a row)",
        Instant.parse("2026-11-27T03:00:30.123Z"));
    assertEquals("{\"time\":\"2026-11-27T03:00:00.123Z\",\"kind\":\"rotation\","
        + "\"service\":\"web\",\"instance\":0,\"from\":\"IN_ROTATION\",\"to\":\"EJECTED\","
        + "\"reason\":\"5 consecutive 5xx responses; ejected for 30s (ejection 1 in a row)\","
        + "\"pid\":null,\"exitCode\":null,\"signal\":null,"
        + "\"until\":\"2026-11-27T03:00:30.123Z\"}",
        json.write(ToJson.event(ejected)));
  }

  @Test
  void eachInstanceOfABalancedServiceSaysWhereItStandsWithTheLoadBalancer() throws Exception {
    // Given web/0 ejected for 30 more seconds, web/1 warming up, web/2 not in the view at all
    InstanceView[] views = new InstanceView[3];
    for (int i = 0; i < 3; i++) {
      views[i] = new InstanceView(new InstanceId("web", i), i == 2 ? InstanceState.RUNNING
          : InstanceState.READY, 1L + i, null, STARTED, 0, null, Map.of(), null);
    }
    ServiceView service = new ServiceView("web", 3, List.of(views), Optional.of(List.of(
        new EndpointState(new InstanceId("web", 0), true, OptionalLong.of(30_000_000_000L), 1.0,
            1, 0, 0, 0, 0),
        new EndpointState(new InstanceId("web", 1), true, OptionalLong.empty(), 0.55, 0, 2, 1,
            0, 0))));

    // When written
    List<String> states = new java.util.ArrayList<>();
    for (var instance : ToJson.service(service, STARTED).instances()) {
      states.add(json.write(instance.loadBalancer()));
    }

    // Then the ejection is dated, the weight shown, and the unlisted instance is NOT_READY
    assertEquals(List.of(
        "{\"status\":\"EJECTED\",\"inRotation\":true,\"ejectedUntil\":"
            + "\"2026-11-27T03:00:30.000Z\",\"weight\":1.0,\"inFlight\":0,\"timesEjected\":1,"
            + "\"consecutive5xx\":0,\"consecutiveGatewayErrors\":0,"
            + "\"consecutiveLocalFailures\":0}",
        "{\"status\":\"SLOW_START\",\"inRotation\":true,\"ejectedUntil\":null,"
            + "\"weight\":0.55,\"inFlight\":2,\"timesEjected\":0,\"consecutive5xx\":1,"
            + "\"consecutiveGatewayErrors\":0,\"consecutiveLocalFailures\":0}",
        "{\"status\":\"NOT_READY\",\"inRotation\":false,\"ejectedUntil\":null,"
            + "\"weight\":0.0,\"inFlight\":0,\"timesEjected\":0,\"consecutive5xx\":0,"
            + "\"consecutiveGatewayErrors\":0,\"consecutiveLocalFailures\":0}"), states);
  }

  @Test
  void acceptedOmitsTheInstanceForAServiceAction() throws Exception {
    assertEquals("{\"accepted\":true,\"action\":\"restart\",\"service\":\"web\"}",
        json.write(new io.vigil.api.json.AcceptedJson(true, "restart", "web", null)));
  }
}

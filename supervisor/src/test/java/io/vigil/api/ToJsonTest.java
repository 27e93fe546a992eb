package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.agent.ExitStatus;
import io.vigil.agent.ProcessSample;
import io.vigil.api.json.InstanceJson;
import io.vigil.control.InstanceView;
import io.vigil.control.ServiceView;
import io.vigil.instance.InstanceId;
import io.vigil.instance.InstanceState;
import io.vigil.instance.Transition;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.ProbeKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToJsonTest {
  private static final Instant STARTED = Instant.parse("2026-11-27T03:00:00Z");
  private final ObjectMapper json = new JsonMapper().mapper();

  @Test
  void aRunningInstanceHasTheDocumentedShape() throws Exception {
    // Given a READY instance with a sample, a previous exit and two probe results
    InstanceView view = new InstanceView(new InstanceId("web", 0), InstanceState.READY, 1234L,
        18080, STARTED, 1, ExitStatus.exited(3),
        Map.of(ProbeKind.READINESS, CheckOutcome.failure("HTTP 503"),
            ProbeKind.LIVENESS, CheckOutcome.success("HTTP 200")),
        new ProcessSample(1234L, 1.25, 52_428_800L, 4, 10));

    // When written 12.5 s after the start
    String written = json.writeValueAsString(
        ToJson.instance(view, STARTED.plusMillis(12_500)));

    // Then it is exactly the documented JSON, probes in the kubelet's order
    assertEquals("{\"service\":\"web\",\"id\":0,\"state\":\"READY\",\"ready\":true,\"pid\":1234,"
        + "\"port\":18080,\"startedAt\":\"2026-11-27T03:00:00.000Z\",\"uptimeSeconds\":12.5,"
        + "\"restarts\":1,\"lastExit\":{\"code\":3,\"signal\":null,\"description\":\"exit code 3\"},"
        + "\"probes\":{\"liveness\":{\"success\":true,\"detail\":\"HTTP 200\"},"
        + "\"readiness\":{\"success\":false,\"detail\":\"HTTP 503\"}},"
        + "\"cpuSeconds\":1.25,\"residentBytes\":52428800}", written);
  }

  @Test
  void anInstanceWithoutAProcessHasNulls() throws Exception {
    // Given an EXITED instance whose last sample belonged to its previous process
    InstanceView view = new InstanceView(new InstanceId("job", 2), InstanceState.EXITED, null,
        null, null, 0, null, Map.of(), new ProcessSample(99L, 3.0, 1L, 1, 1));

    InstanceJson out = ToJson.instance(view, STARTED);

    assertNull(out.pid());
    assertNull(out.startedAt());
    assertNull(out.uptimeSeconds());
    assertNull(out.lastExit());
    assertNull(out.cpuSeconds());
    assertNull(out.residentBytes());
    assertEquals("{\"service\":\"job\",\"id\":2,\"state\":\"EXITED\",\"ready\":false,\"pid\":null,"
        + "\"port\":null,\"startedAt\":null,\"uptimeSeconds\":null,\"restarts\":0,"
        + "\"lastExit\":null,\"probes\":{},\"cpuSeconds\":null,\"residentBytes\":null}",
        json.writeValueAsString(out));
  }

  @Test
  void aServiceCountsReadyAndFailed() throws Exception {
    InstanceView ready = new InstanceView(new InstanceId("web", 0), InstanceState.READY, 1L,
        null, STARTED, 0, null, Map.of(), null);
    InstanceView failed = new InstanceView(new InstanceId("web", 1), InstanceState.FAILED, null,
        null, null, 10, ExitStatus.killed(9), Map.of(), null);
    String written = json.writeValueAsString(
        ToJson.service(new ServiceView("web", 2, List.of(ready, failed)), STARTED));
    assertEquals("{\"name\":\"web\",\"desired\":2,\"ready\":1,\"failed\":1,\"instances\":[",
        written.substring(0, written.indexOf('[') + 1));
    assertEquals("{\"code\":null,\"signal\":9,\"description\":\"killed by SIGKILL\"}",
        json.writeValueAsString(ToJson.instance(failed, STARTED).lastExit()));
  }

  @Test
  void anEventHasTheDocumentedShape() throws Exception {
    Transition t = new Transition(Instant.parse("2026-11-27T03:00:00.123456Z"),
        new InstanceId("web", 0), InstanceState.READY, InstanceState.EXITED,
        "exited: exit code 3", 1234L, 3, null);
    assertEquals("{\"time\":\"2026-11-27T03:00:00.123Z\",\"service\":\"web\",\"instance\":0,"
        + "\"from\":\"READY\",\"to\":\"EXITED\",\"reason\":\"exited: exit code 3\",\"pid\":1234,"
        + "\"exitCode\":3,\"signal\":null}", json.writeValueAsString(ToJson.event(t)));
  }

  @Test
  void acceptedOmitsTheInstanceForAServiceAction() throws Exception {
    assertEquals("{\"accepted\":true,\"action\":\"restart\",\"service\":\"web\"}",
        json.writeValueAsString(new io.vigil.api.json.AcceptedJson(true, "restart", "web", null)));
  }
}

package io.vigil.control;

import io.vigil.agent.ExitStatus;
import io.vigil.agent.ProcessSample;
import io.vigil.instance.InstanceId;
import io.vigil.instance.InstanceState;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.ProbeKind;
import java.time.Instant;
import java.util.Map;

/** A read-only copy of one instance's state, for the API, metrics and tests. Nullable fields. */
public record InstanceView(
    InstanceId id,
    InstanceState state,
    Long pid,
    Integer port,
    Instant startedAt,
    int restarts,
    ExitStatus lastExit,
    Map<ProbeKind, CheckOutcome> lastProbes,
    ProcessSample lastSample) {

  public boolean ready() {
    return state == InstanceState.READY;
  }
}

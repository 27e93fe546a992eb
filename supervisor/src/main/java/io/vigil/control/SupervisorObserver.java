package io.vigil.control;

import io.vigil.instance.InstanceId;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.ProbeKind;
import java.time.Duration;
import java.util.Set;

/**
 * Facts the supervisor reports as they happen, for metrics. Called on the control thread: an
 * implementation must be quick and must not block. State changes themselves are in the
 * {@link io.vigil.instance.EventLog}.
 */
public interface SupervisorObserver {
  /** Why an instance was restarted: the value of the {@code reason} metric label. */
  enum RestartCause {
    EXIT, LIVENESS, STARTUP, MEMORY, OPERATOR, RELOAD;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The instance's probing starts (at each launch and at re-adoption): the probes it has. */
  default void onProbesStarted(InstanceId id, Set<ProbeKind> kinds) {}

  default void onProbe(InstanceId id, ProbeKind kind, CheckOutcome outcome, Duration took) {}

  default void onRestart(InstanceId id, RestartCause cause) {}

  SupervisorObserver NONE = new SupervisorObserver() {};
}

package io.vigil.control;

import io.vigil.agent.ExitStatus;
import io.vigil.agent.ProcessSample;
import io.vigil.agent.RunningProcess;
import io.vigil.config.ServiceSpec;
import io.vigil.instance.InstanceId;
import io.vigil.instance.InstanceLifecycle;
import io.vigil.limits.MemoryLimitTracker;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.InstanceProbes;
import io.vigil.probe.ProbeKind;
import io.vigil.probe.check.CheckTarget;
import io.vigil.restart.RestartTracker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * Everything the control loop tracks about one instance. Mutable and confined to the control
 * thread; the outside sees {@link InstanceView} copies.
 */
final class Instance {
  final InstanceId id;
  ServiceSpec spec;
  final InstanceLifecycle lifecycle;
  RestartTracker restarts;
  /** Settings to start with next time, set by a reload that replaces this instance. */
  ServiceSpec pendingSpec;
  /** Completed when the instance next becomes READY, failed when it goes FAILED. */
  final List<CompletableFuture<Void>> readyWaiters = new ArrayList<>();

  /**
   * Bumped at every launch or adoption. Events carry the generation they were issued for, so a
   * late exit or probe result of an earlier process is recognised and dropped.
   */
  int generation;

  RunningProcess process;
  InstanceProbes probes;
  /** What the probes of {@link #probeTargetGeneration} check; see ProbeRunner. */
  CheckTarget probeTarget;
  int probeTargetGeneration;
  MemoryLimitTracker memory;
  Instant startedAt;
  StopIntent stopIntent;
  String stopReason;
  /** Why Vigil is stopping the instance, for the restart metric. */
  SupervisorObserver.RestartCause stopCause = SupervisorObserver.RestartCause.OPERATOR;
  CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);
  ScheduledFuture<?> restartTimer;
  ExitStatus lastExit;
  ProcessSample lastSample;
  /** When {@link #lastSample} was stored, on the supervisor's ticker. */
  long lastSampleNanos;
  final Map<ProbeKind, CheckOutcome> lastProbes = new EnumMap<>(ProbeKind.class);
  int restartCount;

  Instance(InstanceId id, ServiceSpec spec, RestartTracker restarts) {
    this.id = id;
    this.spec = spec;
    this.lifecycle = new InstanceLifecycle(id);
    this.restarts = restarts;
  }

  CompletableFuture<Void> awaitReady() {
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    readyWaiters.add(waiter);
    return waiter;
  }

  void notifyWaiters(boolean ready, String reason) {
    List<CompletableFuture<Void>> waiting = List.copyOf(readyWaiters);
    readyWaiters.clear();
    for (CompletableFuture<Void> w : waiting) {
      if (ready) {
        w.complete(null);
      } else {
        w.completeExceptionally(new IllegalStateException(id + " FAILED: " + reason));
      }
    }
  }

  Long pid() {
    return process == null ? null : process.identity().pid();
  }

  void cancelRestartTimer() {
    if (restartTimer != null) {
      restartTimer.cancel(false);
      restartTimer = null;
    }
  }

  InstanceView view() {
    return new InstanceView(
        id,
        lifecycle.state(),
        pid(),
        spec.portOf(id.index()).isPresent() ? spec.portOf(id.index()).getAsInt() : null,
        process == null ? null : startedAt,
        restartCount,
        lastExit,
        Map.copyOf(lastProbes),
        lastSample);
  }
}

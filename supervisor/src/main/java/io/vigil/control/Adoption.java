package io.vigil.control;

import io.vigil.agent.Agent;
import io.vigil.agent.RunningProcess;
import io.vigil.agent.Signal;
import io.vigil.config.ServiceSpec;
import io.vigil.instance.InstanceId;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Re-adopts the instances a previous Vigil run left running. A process is adopted only when its
 * pid and start time both match (a reused pid is never taken for ours); instances of services
 * no longer configured are stopped; instances whose settings changed are adopted and replaced.
 */
final class Adoption {
  private static final Logger LOG = System.getLogger(Adoption.class.getName());
  private static final Duration ORPHAN_GRACE = Duration.ofSeconds(10);

  interface Fingerprint {
    String of(ServiceSpec spec, int index);
  }

  private final Agent agent;
  private final Fingerprint fingerprint;

  Adoption(Agent agent, Fingerprint fingerprint) {
    this.agent = agent;
    this.fingerprint = fingerprint;
  }

  void adopt(List<PersistedInstance> previous, Map<InstanceId, Instance> instances,
      BiConsumer<Instance, RunningProcess> adopted, Consumer<Instance> changed) {
    for (PersistedInstance p : previous) {
      Optional<RunningProcess> process = agent.adopt(p.identity());
      if (process.isEmpty()) {
        LOG.log(Level.INFO, "instance " + p.service() + "/" + p.index() + " (pid "
            + p.identity().pid() + ") of the previous run is gone");
        continue;
      }
      Instance inst = instances.get(new InstanceId(p.service(), p.index()));
      if (inst == null || inst.process != null) {
        stopOrphan(p, process.get());
        continue;
      }
      adopted.accept(inst, process.get());
      if (!fingerprint.of(inst.spec, p.index()).equals(p.fingerprint())) {
        changed.accept(inst);
      }
    }
  }

  private void stopOrphan(PersistedInstance p, RunningProcess process) {
    LOG.log(Level.INFO, "stopping " + p.service() + "/" + p.index() + " (pid "
        + p.identity().pid() + "): no longer configured");
    agent.stop(process, Signal.TERM, ORPHAN_GRACE).whenComplete((status, error) ->
        LOG.log(Level.INFO, "stopped " + p.service() + "/" + p.index() + ": "
            + (status == null ? "unknown" : status.describe())));
  }
}

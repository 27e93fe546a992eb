package io.vigil.control;

import io.vigil.agent.Agent;
import io.vigil.agent.ProcessIdentity;
import io.vigil.agent.ProcessSample;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;

/**
 * Every sample interval: samples each live instance's resources and runs the agent's
 * housekeeping (log rotation, reaping orphans) on a background thread, then hands the samples to
 * the control loop, which applies memory limits. Sampling reads /proc and can take milliseconds
 * per process, so it never runs on the control thread.
 */
final class ResourceSampler implements AutoCloseable {
  private static final Logger LOG = System.getLogger(ResourceSampler.class.getName());

  private record Target(Instance inst, int generation, ProcessIdentity identity) {}

  private record Result(Target target, Optional<ProcessSample> sample) {}

  private final InstanceControl supervisor;
  private final ControlLoop loop;
  private final Agent agent;
  private final long intervalNanos;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(DaemonThreads.named("vigil-sampler"));
  private ScheduledFuture<?> timer;
  private boolean stopped;

  ResourceSampler(InstanceControl supervisor, ControlLoop loop, Agent agent, Duration interval) {
    this.supervisor = supervisor;
    this.loop = loop;
    this.agent = agent;
    this.intervalNanos = interval.toNanos();
  }

  /** Called on the control thread. */
  void start() {
    if (stopped) {
      return;
    }
    timer = loop.schedule("sampling", intervalNanos, this::tick);
  }

  /** Called on the control thread. */
  void stop() {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void tick() {
    if (stopped) {
      return;
    }
    List<Target> targets = new ArrayList<>();
    for (Instance inst : supervisor.liveInstances()) {
      targets.add(new Target(inst, inst.generation, inst.process.identity()));
    }
    worker.execute(() -> sampleAndReport(targets));
  }

  private void sampleAndReport(List<Target> targets) {
    List<Result> results = new ArrayList<>();
    try {
      for (Target t : targets) {
        results.add(new Result(t, agent.sample(t.identity())));
      }
      agent.housekeeping();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "bug in resource sampling; continuing", e);
    }
    loop.execute("samples", () -> {
      apply(results);
      start();
    });
  }

  private void apply(List<Result> results) {
    for (Result r : results) {
      Instance inst = r.target().inst();
      if (inst.generation != r.target().generation() || inst.process == null
          || inst.stopIntent != null || r.sample().isEmpty()) {
        continue;
      }
      inst.lastSample = r.sample().get();
      inst.memory.onSample(inst.lastSample.residentBytes())
          .ifPresent(reason -> supervisor.onMemoryOverLimit(inst, reason));
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}

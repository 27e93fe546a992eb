package io.vigil.control;

import io.vigil.agent.Agent;
import io.vigil.agent.ProcessIdentity;
import io.vigil.agent.ProcessSample;
import io.vigil.time.Ticker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Samples instances' resources on a background thread (sampling reads /proc and can take
 * milliseconds per process, so it never runs on the control thread) and hands the samples to the
 * control loop. Two kinds of round:
 *
 * <ul>
 *   <li>every sample interval, the instances whose service has a memory limit, whose samples the
 *       limit acts on, and the agent's housekeeping (log rotation, reaping orphans);
 *   <li>when the API or the metrics read the instances ({@link #refreshStale}), the live
 *       instances whose latest sample is an interval old or older, so that readers see samples
 *       at most an interval old without Vigil sampling, between reads, what nobody looks at
 *       (at 500 instances that was ~0.2 % of a core; docs/performance.md).
 * </ul>
 */
final class ResourceSampler implements AutoCloseable {
  private static final Logger LOG = System.getLogger(ResourceSampler.class.getName());
  /** The longest a reader waits for a round of samples. */
  static final long READER_WAIT_NANOS = Duration.ofSeconds(1).toNanos();

  /** An instance to sample, as it was when the round was planned at {@code plannedNanos}. */
  private record Target(
      Instance inst, int generation, ProcessIdentity identity, long plannedNanos) {
    static Target of(Instance inst, long plannedNanos) {
      return new Target(inst, inst.generation, inst.process.identity(), plannedNanos);
    }
  }

  private record Result(Target target, Optional<ProcessSample> sample) {}

  private final InstanceControl supervisor;
  private final ControlLoop loop;
  private final Agent agent;
  private final Ticker ticker;
  private final long intervalNanos;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(DaemonThreads.named("vigil-sampler"));
  private ScheduledFuture<?> timer;
  private boolean stopped;
  /** Completed when the readers' latest round of samples is stored. */
  private CompletableFuture<Void> readersRound;

  ResourceSampler(InstanceControl supervisor, ControlLoop loop, Agent agent, Ticker ticker,
      Duration interval) {
    this.supervisor = supervisor;
    this.loop = loop;
    this.agent = agent;
    this.ticker = ticker;
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

  /**
   * Called on the control thread: samples every live instance whose latest sample is missing,
   * of an earlier process, or at least an interval old. The future completes on the control
   * thread once those samples are stored, or after {@link #READER_WAIT_NANOS} with the old ones
   * (the sampler thread may be rotating a large log; its samples are stored when they come).
   * While a readers' round is running, later readers wait for it instead of queuing another.
   * Readers' samples are shown, not given to the memory limit, whose count of samples in a row
   * assumes samples an interval apart.
   */
  CompletableFuture<Void> refreshStale() {
    if (readersRound == null || readersRound.isDone()) {
      long now = ticker.nanos();
      List<Target> targets = targets(inst -> isStale(inst, now), now);
      if (targets.isEmpty() || stopped) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> stored = new CompletableFuture<>();
      try {
        worker.execute(() -> sampleThen(targets, false, results -> {
          results.forEach(r -> store(r, false));
          stored.complete(null);
        }));
      } catch (RejectedExecutionException closing) {
        stored.complete(null);
      }
      readersRound = stored;
    }
    return atMostReaderWait(readersRound);
  }

  /** Completes, on the control thread, when {@code round} does or when a reader waited enough. */
  private CompletableFuture<Void> atMostReaderWait(CompletableFuture<Void> round) {
    if (round.isDone()) {
      return round;
    }
    CompletableFuture<Void> waited = new CompletableFuture<>();
    ScheduledFuture<?> overdue =
        loop.schedule("samples overdue", READER_WAIT_NANOS, () -> waited.complete(null));
    round.thenRun(() -> {
      overdue.cancel(false);
      waited.complete(null);
    });
    return waited;
  }

  private boolean isStale(Instance inst, long nowNanos) {
    return !isCurrent(inst.lastSample, inst.lastSampleNanos, inst.pid(), nowNanos, intervalNanos);
  }

  /**
   * True when {@code sample}, taken at {@code takenNanos}, is of the process {@code pid} and
   * less than {@code maxAgeNanos} old at {@code nowNanos}.
   */
  static boolean isCurrent(
      ProcessSample sample, long takenNanos, Long pid, long nowNanos, long maxAgeNanos) {
    return sample != null && pid != null && sample.pid() == pid
        && nowNanos - takenNanos < maxAgeNanos;
  }

  private void tick() {
    if (stopped) {
      return;
    }
    List<Target> targets =
        targets(inst -> inst.memory != null && inst.memory.enforcing(), ticker.nanos());
    try {
      worker.execute(() -> sampleThen(targets, true, results -> {
        try {
          results.forEach(r -> store(r, true));
        } finally {
          start(); // the next round, whatever this one's results did
        }
      }));
    } catch (RejectedExecutionException closing) {
      LOG.log(Level.DEBUG, "sampler closed; no more rounds");
    }
  }

  private List<Target> targets(Predicate<Instance> wanted, long nowNanos) {
    List<Target> targets = new ArrayList<>();
    for (Instance inst : supervisor.liveInstances()) {
      if (wanted.test(inst)) {
        targets.add(Target.of(inst, nowNanos));
      }
    }
    return targets;
  }

  /** On the sampler thread: samples the targets, then runs {@code onLoop} on the control loop. */
  private void sampleThen(
      List<Target> targets, boolean housekeeping, Consumer<List<Result>> onLoop) {
    List<Result> results = new ArrayList<>();
    try {
      for (Target t : targets) {
        results.add(new Result(t, agent.sample(t.identity())));
      }
      if (housekeeping) {
        agent.housekeeping();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "bug in resource sampling; continuing", e);
    }
    loop.execute("samples", () -> onLoop.accept(results));
  }

  /** On the control thread: keeps a sample of the instance's current process. */
  private void store(Result r, boolean forLimit) {
    Instance inst = r.target().inst();
    if (inst.generation != r.target().generation() || inst.process == null
        || inst.stopIntent != null || r.sample().isEmpty()) {
      return;
    }
    inst.lastSample = r.sample().get();
    inst.lastSampleNanos = r.target().plannedNanos(); // never younger than it is
    if (forLimit) {
      inst.memory.onSample(inst.lastSample.residentBytes())
          .ifPresent(reason -> supervisor.onMemoryOverLimit(inst, reason));
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}

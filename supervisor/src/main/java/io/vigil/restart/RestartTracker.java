package io.vigil.restart;

import io.vigil.restart.RestartDecision.Action;
import io.vigil.time.HumanDuration;
import io.vigil.time.Nanos;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Decides what happens to one instance after its process ends: restart after a delay, stay down,
 * or give up on a crash loop. Call {@link #onStarted} for every launch and exactly one of {@link
 * #onExit} / {@link #onUnhealthy} for every process that ends.
 *
 * <ul>
 *   <li>Policy: NEVER stays down; ON_FAILURE stays down after exit code 0; ALWAYS restarts.
 *   <li>Backoff: the first restart after a crash is immediate, then {@link Backoff}'s growing,
 *       capped, jittered delays.
 *   <li>Reset: a process that ran for at least {@code resetAfter} was healthy; when it ends, past
 *       restarts are forgotten (backoff and give-up window), as the kubelet's 10 minutes.
 *   <li>Give up: if {@code giveUp.restarts} restarts were already made within {@code
 *       giveUp.within} before now, the next one is refused (as systemd's StartLimitBurst); the
 *       instance stays FAILED until an operator starts it, who should call {@link #reset}.
 * </ul>
 *
 * <pre>{@code
 * tracker.onStarted(now);
 * RestartDecision d = tracker.onExit(false, "exit code 1", now);   // RESTART, delay 0
 * }</pre>
 *
 * <p>Not thread-safe: owned by the control thread.
 */
public final class RestartTracker {
  public static final String REASON_POLICY_NEVER = "restart policy is never";
  public static final String REASON_EXITED_OK = "exited successfully; restart policy is on-failure";
  public static final String REASON_GIVE_UP =
      "crash loop: %d restarts within %s; giving up until an operator restarts it";

  private final RestartSpec spec;
  private final Backoff backoff;
  private final long resetAfterNanos;
  private final long windowNanos;
  /** When each restart since the last reset was decided, oldest first; pruned to the window. */
  private final Deque<Long> recentRestarts = new ArrayDeque<>();
  private int restartsSinceReset;
  private int restartCount;
  private boolean running;
  private long startedAt;

  public RestartTracker(RestartSpec spec, RandomGenerator random) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.backoff = new Backoff(spec.backoff(), random);
    this.resetAfterNanos = Nanos.of(spec.resetAfter());
    this.windowNanos = Nanos.of(spec.giveUp().within());
  }

  /** A process was launched at {@code now}. */
  public void onStarted(long now) {
    running = true;
    startedAt = now;
  }

  /**
   * The process exited by itself.
   *
   * @param success exit code 0
   * @param why how it ended, for the reason, e.g. "exit code 1" or "killed by SIGSEGV"
   */
  public RestartDecision onExit(boolean success, String why, long now) {
    if (spec.policy() == RestartPolicy.NEVER) {
      return stayDown(REASON_POLICY_NEVER, why);
    }
    if (spec.policy() == RestartPolicy.ON_FAILURE && success) {
      return stayDown(REASON_EXITED_OK, why);
    }
    return afterFailure(why, now);
  }

  /**
   * The instance was killed for failing its liveness or startup probe or its memory limit: a
   * failure under every policy but NEVER.
   */
  public RestartDecision onUnhealthy(String why, long now) {
    if (spec.policy() == RestartPolicy.NEVER) {
      return stayDown(REASON_POLICY_NEVER, why);
    }
    return afterFailure(why, now);
  }

  /** Forgets past restarts, e.g. when an operator restarts the instance. */
  public void reset() {
    recentRestarts.clear();
    restartsSinceReset = 0;
    running = false;
  }

  /** Restarts decided in this tracker's life; never reset (for metrics). */
  public int restartCount() {
    return restartCount;
  }

  private RestartDecision afterFailure(String why, long now) {
    if (running && now - startedAt >= resetAfterNanos) {
      reset();
    }
    running = false;
    // Keep restarts at most `within` old; overflow-safe as System.nanoTime differences.
    while (!recentRestarts.isEmpty() && now - recentRestarts.peekFirst() > windowNanos) {
      recentRestarts.removeFirst();
    }
    if (recentRestarts.size() >= spec.giveUp().restarts()) {
      String reason = String.format(REASON_GIVE_UP,
          recentRestarts.size(), HumanDuration.format(spec.giveUp().within()));
      return new RestartDecision(Action.GIVE_UP, 0, withWhy(reason, why));
    }
    long delay = backoff.delayNanos(restartsSinceReset);
    restartsSinceReset++;
    restartCount++;
    recentRestarts.addLast(now);
    String when = delay == 0 ? "immediately" : "in " + HumanDuration.format(delay);
    return new RestartDecision(
        Action.RESTART, delay, withWhy("restart " + restartsSinceReset + " " + when, why));
  }

  private RestartDecision stayDown(String reason, String why) {
    running = false;
    return new RestartDecision(Action.STAY_DOWN, 0, withWhy(reason, why));
  }

  private static String withWhy(String reason, String why) {
    return why == null || why.isBlank() ? reason : reason + " (" + why + ")";
  }
}

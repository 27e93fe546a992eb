package io.vigil.lb;

import io.vigil.time.Nanos;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Chooses the instance for the next request among the eligible ones: ready, not ejected, and not
 * already tried by this request. The caller builds that list; the balancer only chooses.
 *
 * <p>Slow start: an instance that entered rotation less than {@code slowStart} ago has a weight
 * that ramps linearly from 10 % to 100 % (HAProxy's {@code slowstart} ramps from 0; a small floor
 * lets the first requests warm it up). Least-request divides each instance's outstanding count by
 * its weight; round-robin skips an instance with probability 1 - weight.
 *
 * <pre>{@code
 * Balancer balancer = Balancer.of(Balance.LEAST_REQUEST, Duration.ofSeconds(30), random);
 * Optional<Candidate> chosen = balancer.pick(eligible, ticker.nanos());
 * }</pre>
 *
 * <p>Not thread-safe: {@link TrafficPolicy} guards it.
 */
public abstract class Balancer {
  static final double MIN_WEIGHT = 0.1;

  private final long slowStartNanos;
  final RandomGenerator random;

  Balancer(Duration slowStart, RandomGenerator random) {
    this.slowStartNanos = Nanos.of(slowStart);
    this.random = random;
  }

  public static Balancer of(Balance balance, Duration slowStart, RandomGenerator random) {
    return balance == Balance.ROUND_ROBIN
        ? new RoundRobin(slowStart, random) : new LeastRequest(slowStart, random);
  }

  /** The chosen instance, or empty if {@code eligible} is empty. */
  public abstract Optional<Candidate> pick(List<Candidate> eligible, long now);

  /** The slow-start weight at {@code now}: 0.1 right after it entered rotation, 1 after the window. */
  double weight(Candidate candidate, long now) {
    long age = now - candidate.readySinceNanos();
    if (slowStartNanos == 0 || age >= slowStartNanos) {
      return 1.0;
    }
    return MIN_WEIGHT + (1 - MIN_WEIGHT) * Math.max(0, age) / (double) slowStartNanos;
  }

  /**
   * Least outstanding requests by the power of two choices (Envoy's LEAST_REQUEST, HAProxy's
   * {@code random(2)}): two distinct instances at random, the less loaded wins. Cheap, and it
   * avoids the herd that "always the least loaded" sends to one instance (Mitzenmacher 2001).
   */
  static final class LeastRequest extends Balancer {
    LeastRequest(Duration slowStart, RandomGenerator random) {
      super(slowStart, random);
    }

    @Override
    public Optional<Candidate> pick(List<Candidate> eligible, long now) {
      if (eligible.size() <= 1) {
        return eligible.stream().findFirst();
      }
      int first = random.nextInt(eligible.size());
      int second = random.nextInt(eligible.size() - 1);
      second = second >= first ? second + 1 : second;
      Candidate a = eligible.get(first);
      Candidate b = eligible.get(second);
      return Optional.of(load(b, now) < load(a, now) ? b : a);
    }

    private double load(Candidate candidate, long now) {
      return (candidate.outstanding() + 1) / weight(candidate, now);
    }
  }

  /**
   * In turn. The position moves on with every pick, so when the eligible list changes between
   * calls the order is approximate, never stuck. A warming instance is skipped at random.
   */
  static final class RoundRobin extends Balancer {
    private long next;

    RoundRobin(Duration slowStart, RandomGenerator random) {
      super(slowStart, random);
    }

    @Override
    public Optional<Candidate> pick(List<Candidate> eligible, long now) {
      if (eligible.isEmpty()) {
        return Optional.empty();
      }
      Candidate candidate = null;
      for (int i = 0; i < eligible.size(); i++) {
        candidate = eligible.get((int) Math.floorMod(next++, (long) eligible.size()));
        double weight = weight(candidate, now);
        if (weight >= 1.0 || random.nextDouble() < weight) {
          break;
        }
      }
      return Optional.of(candidate);
    }
  }
}

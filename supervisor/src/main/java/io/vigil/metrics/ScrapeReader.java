package io.vigil.metrics;

import io.vigil.control.ServiceView;
import io.vigil.time.Ticker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Asks the control loop for its state once per scrape, with a bounded wait, and hands the same
 * {@link Reading} to every callback metric of that scrape. The first callback of a scrape takes
 * the reading; the others, up to {@code maxAge} later, reuse it. (The registry calls collectors
 * in no fixed order, so "the start of a scrape" cannot be hooked; a scrape takes milliseconds,
 * and scrapes come seconds apart.)
 *
 * <p>The loop is pinged first when a ping is given; if the ping does not answer in time, the
 * services are not asked for, so a stuck loop costs a scrape one wait, not one per metric.
 *
 * <p>Thread-safe: concurrent scrapes share one reading; the second waits for the first.
 */
final class ScrapeReader {
  private static final Logger LOG = System.getLogger(ScrapeReader.class.getName());

  private final Supplier<CompletableFuture<List<ServiceView>>> services;
  private final Supplier<CompletableFuture<Void>> ping;
  private final Ticker ticker;
  private final Clock clock;
  private final Duration wait;
  private final Duration maxAge;
  private Reading last;
  private long lastTaken;
  private Instant lastAnswer;

  /** {@code ping} may be null: then the services call itself is the sign of life. */
  ScrapeReader(Supplier<CompletableFuture<List<ServiceView>>> services,
      Supplier<CompletableFuture<Void>> ping, Ticker ticker, Clock clock, Duration wait,
      Duration maxAge) {
    this.services = services;
    this.ping = ping;
    this.ticker = ticker;
    this.clock = clock;
    this.wait = wait;
    this.maxAge = maxAge;
  }

  synchronized Reading get() {
    if (last == null || ticker.nanos() - lastTaken >= maxAge.toNanos()) {
      last = take();
      lastTaken = ticker.nanos();
    }
    return last;
  }

  private Reading take() {
    long start = ticker.nanos();
    try {
      long answered = start;
      if (ping != null) {
        await(ping.get());
        answered = ticker.nanos();
      }
      List<ServiceView> views = await(services.get());
      long latency = (ping != null ? answered : ticker.nanos()) - start;
      return answered(views, latency);
    } catch (TimeoutException e) {
      return unanswered(start, "did not answer within " + wait.toMillis() + "ms");
    } catch (ExecutionException e) {
      return unanswered(start, "failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unanswered(start, "interrupted while waiting");
    } catch (RuntimeException e) {
      // A bug in a Commands implementation must not turn every scrape into an HTTP 500.
      LOG.log(Level.ERROR, "bug while reading the control loop for metrics", e);
      return unanswered(start, "failed: " + e);
    }
  }

  private <T> T await(CompletableFuture<T> future)
      throws TimeoutException, ExecutionException, InterruptedException {
    return future.get(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  private Reading answered(List<ServiceView> views, long latencyNanos) {
    if (last != null && !last.responsive()) {
      LOG.log(Level.INFO, "control loop answers again; per-instance metrics are back");
    }
    lastAnswer = clock.instant();
    return new Reading(views, true, latencyNanos / 1e9, lastAnswer);
  }

  private Reading unanswered(long start, String why) {
    if (last == null || last.responsive()) {
      LOG.log(Level.WARNING, "control loop " + why
          + "; per-instance metrics are left out until it answers");
    }
    return new Reading(List.of(), false, (ticker.nanos() - start) / 1e9, lastAnswer);
  }
}

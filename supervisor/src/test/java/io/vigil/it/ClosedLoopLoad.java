package io.vigil.it;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Steady load: {@code clients} threads, each sending one request at a time with a short pause
 * between them (so at most {@code clients} are in flight), at most 5000 requests or 60 s each.
 * Records every request's start, end and outcome. Its own HTTP client, so its connections are
 * its own.
 */
final class ClosedLoopLoad implements AutoCloseable {
  /** One request: when it started and ended (System.nanoTime), its status or, if none, why. */
  record Result(long startNanos, long endNanos, int status, String error) {
    boolean ok() {
      return status == 200;
    }

    long millis() {
      return (endNanos - startNanos) / 1_000_000;
    }

    boolean inFlightAt(long nanos) {
      return startNanos <= nanos && endNanos > nanos;
    }

    @Override
    public String toString() {
      return (status > 0 ? Integer.toString(status) : error) + " after " + millis() + " ms";
    }
  }

  final int clients;
  private final IntFunction<HttpRequest> request;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  // Appended by every client thread; a copy-on-write list would copy it whole on each answer.
  private final Queue<Result> results = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopped;

  /** {@code request} builds the n-th request of a client. */
  ClosedLoopLoad(String name, int clients, IntFunction<HttpRequest> request) {
    this.clients = clients;
    this.request = request;
    for (int c = 0; c < clients; c++) {
      threads.add(new Thread(this::run, name + "-" + c));
    }
  }

  void start() {
    threads.forEach(Thread::start);
  }

  /** Started with {@code clients} clients sending {@code request}: for try-with-resources. */
  static ClosedLoopLoad started(String name, int clients, IntFunction<HttpRequest> request) {
    ClosedLoopLoad load = new ClosedLoopLoad(name, clients, request);
    load.start();
    return load;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  void stop() throws InterruptedException {
    stopped = true;
    for (Thread t : threads) {
      t.join(20_000);
    }
  }

  List<Result> results() {
    return List.copyOf(results);
  }

  List<Result> failures() {
    return results.stream().filter(r -> !r.ok()).toList();
  }

  long ok() {
    return results.stream().filter(Result::ok).count();
  }

  long slowestMillis() {
    return results.stream().mapToLong(Result::millis).max().orElse(0);
  }

  private void run() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int i = 0; i < 5000 && !stopped && System.nanoTime() < deadline; i++) {
      long start = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(request.apply(i), HttpResponse.BodyHandlers.ofString());
        results.add(new Result(start, System.nanoTime(), r.statusCode(), null));
      } catch (IOException e) {
        results.add(new Result(start, System.nanoTime(), 0, e.toString()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Thread.sleep(5); // steady, not flat-out: bounded load on a 2-core CI machine
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

package io.vigil.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.vigil.agent.process.LinuxAgent;
import io.vigil.config.ConfigLoader;
import io.vigil.config.VigilConfig;
import io.vigil.control.InstanceView;
import io.vigil.control.Supervisor;
import io.vigil.instance.InstanceId;
import io.vigil.instance.InstanceState;
import io.vigil.instance.Transition;
import io.vigil.probe.check.Checkers;
import io.vigil.time.Ticker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A real Supervisor in the test JVM, with the real agent and checkers, on a HOCON config written
 * by the test. Records every transition; on close, shuts down and kills any process group it
 * ever saw, so no test leaves a process behind.
 */
final class Harness implements AutoCloseable {
  final Path dir;
  final VigilConfig config;
  final LinuxAgent agent;
  final Checkers checkers;
  final Supervisor supervisor;
  private final LinkedBlockingQueue<Transition> queue = new LinkedBlockingQueue<>();
  final List<Transition> seen = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Set<Long> pids = ConcurrentHashMap.newKeySet();

  Harness(Path dir, String services) throws Exception {
    this(dir, services, supervisor -> { });
  }

  /** {@code beforeStart} sees the supervisor before it starts (to register an observer). */
  Harness(Path dir, String services, Consumer<Supervisor> beforeStart) throws Exception {
    this(dir, "200ms", services, beforeStart);
  }

  /** With {@code vigil.sample-interval} set to {@code sampleInterval} (HOCON, e.g. "1h"). */
  Harness(Path dir, String sampleInterval, String services, Consumer<Supervisor> beforeStart)
      throws Exception {
    this.dir = dir;
    Path file = dir.resolve("vigil.conf");
    Files.writeString(file, "vigil { state-dir = \"state\", sample-interval = " + sampleInterval
        + " }\nservices {\n" + services + "\n}\n");
    this.config = ConfigLoader.load(file, runtime());
    this.agent = new LinuxAgent(config.daemon().logMaxBytes(), config.daemon().logKeep());
    this.checkers = new Checkers(agent);
    this.supervisor = new Supervisor(config, agent, checkers, Ticker.SYSTEM, Clock.systemUTC(),
        RandomGenerator.getDefault());
    supervisor.events().subscribe(e -> {
      if (!(e instanceof Transition t)) {
        return; // rotation changes: no load balancer here
      }
      seen.add(t);
      if (t.pid() != null) {
        pids.add(t.pid());
      }
      queue.add(t);
    });
    beforeStart.accept(supervisor);
    supervisor.start().get(10, TimeUnit.SECONDS);
  }

  static Map<String, String> runtime() {
    String jar = System.getProperty("vigil.jar");
    if (jar == null) {
      fail("system property vigil.jar is not set: run integration tests with mvn verify");
    }
    return Map.of("java", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "jar", jar);
  }

  /** HOCON command list that runs the demo backend (reads $PORT). */
  static String demoCommand() {
    return "[${vigil.runtime.java}, \"-Xmx48m\", \"-XX:MaxDirectMemorySize=1g\", \"-XX:+UseSerialGC\", "
        + "\"-XX:TieredStopAtLevel=1\", \"-Xshare:auto\", \"-jar\", ${vigil.runtime.jar}, "
        + "\"demo-backend\"]";
  }

  /** Waits for the next transition matching the test, skipping others. */
  Transition await(Duration timeout, Predicate<Transition> test) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Transition t = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
      if (t == null) {
        fail("no matching transition within " + timeout + "; seen:\n" + describeSeen());
      }
      if (test.test(t)) {
        return t;
      }
    }
  }

  Transition await(Duration timeout, String instance, InstanceState to)
      throws InterruptedException {
    return await(timeout, t -> t.instance().toString().equals(instance) && t.to() == to);
  }

  /**
   * Waits until each of {@code instances} has made a transition to {@code to}, in any order
   * (each instance's first such transition counts), skipping others. {@link #await} one after
   * the other would skip, and so lose, a transition of a later instance that came first.
   */
  Map<String, Transition> awaitAll(Duration timeout, InstanceState to, String... instances)
      throws InterruptedException {
    Set<String> wanted = Set.of(instances);
    Map<String, Transition> got = new java.util.LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (got.size() < wanted.size()) {
      long left = deadline - System.nanoTime();
      Transition t = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
      if (t == null) {
        fail("no transition to " + to + " of each of " + wanted + " within " + timeout
            + " (got " + got.keySet() + "); seen:\n" + describeSeen());
      }
      String instance = t.instance().toString();
      if (t.to() == to && wanted.contains(instance)) {
        got.putIfAbsent(instance, t);
      }
    }
    return got;
  }

  String describeSeen() {
    synchronized (seen) {
      StringBuilder b = new StringBuilder();
      seen.forEach(t -> b.append("  ").append(t.describe()).append('\n'));
      return b.toString();
    }
  }

  InstanceView view(String service, int index) throws Exception {
    InstanceId id = new InstanceId(service, index);
    return supervisor.snapshot().get(5, TimeUnit.SECONDS).stream()
        .filter(v -> v.id().equals(id)).findFirst().orElseThrow();
  }

  @Override
  public void close() throws Exception {
    try {
      supervisor.shutdown().get(30, TimeUnit.SECONDS);
    } finally {
      supervisor.close();
      checkers.close();
      agent.close();
      for (long pid : pids) {
        Host.killGroup(pid);
      }
    }
  }
}

package io.vigil.probe.check;

import io.vigil.agent.Agent;
import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link Checker} for every kind of check: HTTP and TCP checks share one "vigil-probe" event
 * loop thread, exec checks go through the {@link Agent}. Cheap at scale: no thread per probe or
 * per instance, and nothing blocks.
 *
 * <pre>{@code
 * try (Checkers checkers = new Checkers(agent)) {
 *   CheckOutcome outcome = checkers.check(spec, target, Duration.ofSeconds(1)).join();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the event loop; call it once probing has stopped, as
 * HTTP and TCP checks started afterwards complete exceptionally and those in flight end as
 * failures or exceptionally.
 */
public final class Checkers implements Checker, AutoCloseable {
  private final ProbeLoop probeLoop;
  private final HttpCheck http;
  private final TcpCheck tcp;
  private final ExecCheck exec;

  public Checkers(Agent agent) {
    this.probeLoop = new ProbeLoop();
    this.http = new HttpCheck(probeLoop);
    this.tcp = new TcpCheck(probeLoop);
    this.exec = new ExecCheck(agent);
  }

  @Override
  public CompletableFuture<CheckOutcome> check(
      CheckSpec spec, CheckTarget target, Duration timeout) {
    try {
      return dispatch(spec, target, timeout);
    } catch (RuntimeException bug) {
      // A check that throws is our bug (closed loop, null argument): never report it as a
      // failing target, whose outcome could restart a healthy instance.
      return CompletableFuture.failedFuture(bug);
    }
  }

  private CompletableFuture<CheckOutcome> dispatch(
      CheckSpec spec, CheckTarget target, Duration timeout) {
    if (spec instanceof CheckSpec.Http httpSpec) {
      return http.check(httpSpec, target, timeout);
    }
    if (spec instanceof CheckSpec.Tcp tcpSpec) {
      return tcp.check(tcpSpec, target, timeout);
    }
    if (spec instanceof CheckSpec.Exec execSpec) {
      return exec.check(execSpec, target, timeout);
    }
    throw new IllegalArgumentException("unknown check spec " + spec);
  }

  @Override
  public void close() {
    probeLoop.close();
  }
}

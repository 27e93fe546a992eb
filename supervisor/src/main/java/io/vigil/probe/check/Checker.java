package io.vigil.probe.check;

import io.vigil.probe.CheckOutcome;
import io.vigil.probe.CheckSpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one check against one target.
 *
 * <pre>{@code
 * checker.check(new CheckSpec.Tcp(OptionalInt.empty()), target, Duration.ofSeconds(1))
 *     .thenAcceptAsync(outcome -> control.post(...), controlExecutor);
 * }</pre>
 *
 * <p>The future always completes normally for target faults (refused, reset, timed out, HTTP
 * 503): those are failure outcomes with a short detail. It completes exceptionally only when the
 * checker itself is broken or closed, and then the result must be thrown away, as the kubelet
 * does with a prober error. Futures may complete on an I/O thread: attach dependent work with an
 * {@code *Async} method or post it, never block in it.
 */
public interface Checker {
  CompletableFuture<CheckOutcome> check(CheckSpec spec, CheckTarget target, Duration timeout);
}

package io.vigil.api;

import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits, for a bounded time, on a future from {@link io.vigil.control.Commands} and turns its
 * documented failures into problems: {@link NoSuchElementException} is a 404, {@link
 * IllegalStateException} a 409 (conflict), no answer in time a 503. Anything else is a bug and
 * goes on to {@link ProblemMapper} as a 500.
 */
final class Await {
  private Await() {}

  static <T> T value(CompletableFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ProblemException(Status.SERVICE_UNAVAILABLE, "the supervisor did not finish "
          + what + " within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProblemException(Status.SERVICE_UNAVAILABLE, "interrupted waiting for " + what);
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    }
  }

  /**
   * For actions that go on after the response: waits up to {@code grace} for an immediate
   * refusal (unknown name, conflict) and throws it as a problem; returns once the action is
   * still running, or done.
   */
  static void noEarlyFailure(CompletableFuture<?> future, Duration grace) {
    try {
      future.get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // Still running: that is the normal case for a rolling restart or a graceful stop.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    }
  }

  private static RuntimeException failure(Throwable cause) {
    if (cause instanceof NoSuchElementException) {
      return ProblemException.notFound(cause.getMessage());
    }
    if (cause instanceof IllegalStateException) {
      return new ProblemException(Status.CONFLICT, cause.getMessage());
    }
    return new CompletionException(cause);
  }
}

package io.vigil.systemd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The control loop's round trip, played by the test: each call returns a new future that the
 * test completes (or never does), or throws when told to.
 */
final class FakeHeartbeat implements Supplier<CompletableFuture<Void>> {
  private final List<CompletableFuture<Void>> calls = new ArrayList<>();
  private RuntimeException throwNext;

  @Override
  public CompletableFuture<Void> get() {
    if (throwNext != null) {
      RuntimeException e = throwNext;
      throwNext = null;
      throw e;
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    calls.add(f);
    return f;
  }

  void throwOnNextCall(RuntimeException e) {
    throwNext = e;
  }

  int calls() {
    return calls.size();
  }

  /** Answers the most recent call. */
  void answer() {
    last().complete(null);
  }

  void fail(Throwable cause) {
    last().completeExceptionally(cause);
  }

  private CompletableFuture<Void> last() {
    if (calls.isEmpty()) {
      throw new IllegalStateException("the heartbeat was never called");
    }
    return calls.get(calls.size() - 1);
  }
}

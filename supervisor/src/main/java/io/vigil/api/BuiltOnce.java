package io.vigil.api;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A value built the first time it is asked for, then kept, until {@link #close}. The status API's
 * Jersey and HK2 stack costs about 20 MB of memory (classes, their metadata, caches),
 * which a Vigil whose API nobody calls should not pay. Thread-safe: concurrent first callers
 * build it once; a build that throws leaves nothing behind, and the next caller tries again.
 */
final class BuiltOnce<T> implements Supplier<T> {
  private final Supplier<T> build;
  private volatile T value;
  private boolean closed;

  BuiltOnce(Supplier<T> build) {
    this.build = build;
  }

  /**
   * The value, built now if it was not yet.
   *
   * @throws Closed once closed, if it was never built
   */
  @Override
  public T get() {
    T built = value;
    if (built == null) {
      synchronized (this) {
        built = value;
        if (built == null) {
          if (closed) {
            throw new Closed();
          }
          built = build.get();
          value = built;
        }
      }
    }
    return built;
  }

  /** Asked for after {@link #close}, never having been built. */
  static final class Closed extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Closed() {
      super("closed before it was first needed");
    }
  }

  /**
   * Builds nothing from now on, and hands the value to {@code release} if it was built. A build
   * under way finishes first, so nothing built escapes the release.
   */
  void close(Consumer<T> release) {
    T built;
    synchronized (this) {
      closed = true;
      built = value;
    }
    if (built != null) {
      release.accept(built);
    }
  }
}

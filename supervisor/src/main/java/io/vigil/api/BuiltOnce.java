package io.vigil.api;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A value built the first time it is asked for, then kept. The status API's Jersey, Jackson and
 * HK2 stack costs about 20 MB of memory (classes, their metadata, caches), which a Vigil whose
 * API nobody calls should not pay. Thread-safe: concurrent first callers build it once.
 */
final class BuiltOnce<T> implements Supplier<T> {
  private final Supplier<T> build;
  private volatile T value;

  BuiltOnce(Supplier<T> build) {
    this.build = build;
  }

  @Override
  public T get() {
    T built = value;
    if (built == null) {
      synchronized (this) {
        built = value;
        if (built == null) {
          built = build.get();
          value = built;
        }
      }
    }
    return built;
  }

  /** The value if it has been built, without building it. */
  Optional<T> ifBuilt() {
    return Optional.ofNullable(value);
  }
}

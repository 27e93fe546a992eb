package io.vigil.demo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory the demo "leaks" on request, so that a resource limit on resident memory fires.
 *
 * <p>Off-heap on purpose: the demo runs with a small heap (the default command uses -Xmx48m), and
 * a heap leak would end in an OutOfMemoryError instead of growing RSS. Every page is written, so
 * the kernel really backs it. Direct memory is capped by {@code -XX:MaxDirectMemorySize}, which
 * defaults to the maximum heap size: to leak more than that, start the demo JVM with a larger
 * value (e.g. {@code -XX:MaxDirectMemorySize=1g}). Thread-safe.
 */
final class RetainedMemory {
  static final int MIB = 1024 * 1024;
  private static final int PAGE = 4096;

  private final List<ByteBuffer> retained = new ArrayList<>();

  /** Thrown when the direct memory cap stops the allocation; what was allocated is kept. */
  static final class LimitReached extends RuntimeException {
    LimitReached(String message) {
      super(message);
    }
  }

  /** Allocates and touches {@code mib} more MiB; returns the total retained. */
  synchronized int allocate(int mib) {
    for (int i = 0; i < mib; i++) {
      ByteBuffer chunk;
      try {
        chunk = ByteBuffer.allocateDirect(MIB);
      } catch (OutOfMemoryError e) {
        // Only the direct-memory cap ends up here: the request is refused, the process lives on.
        throw new LimitReached(
            "direct memory limit reached after " + retained.size() + " MiB ("
                + e.getMessage() + "); start the JVM with a larger -XX:MaxDirectMemorySize");
      }
      for (int offset = 0; offset < MIB; offset += PAGE) {
        chunk.put(offset, (byte) 1);
      }
      retained.add(chunk);
    }
    return retained.size();
  }

  synchronized int allocatedMiB() {
    return retained.size();
  }

  /** Drops the references; the native memory is returned once the buffers are collected. */
  synchronized void release() {
    retained.clear();
  }
}

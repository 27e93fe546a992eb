package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BuiltOnceTest {
  @Test
  void nothingIsBuiltUntilAsked() {
    AtomicInteger builds = new AtomicInteger();
    BuiltOnce<Object> value = new BuiltOnce<>(() -> {
      builds.incrementAndGet();
      return new Object();
    });

    assertEquals(0, builds.get());

    Object first = value.get();
    assertSame(first, value.get());
    assertEquals(1, builds.get());
  }

  @Test
  void concurrentFirstCallersShareOneBuild() throws Exception {
    AtomicInteger builds = new AtomicInteger();
    BuiltOnce<Object> value = new BuiltOnce<>(() -> {
      builds.incrementAndGet();
      return new Object();
    });
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Object>> got = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        got.add(callers.submit(() -> {
          go.await();
          return value.get();
        }));
      }
      go.countDown();
      Object first = got.get(0).get(10, TimeUnit.SECONDS);
      for (Future<Object> each : got) {
        assertSame(first, each.get(10, TimeUnit.SECONDS));
      }
      assertEquals(1, builds.get());
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aFailedBuildIsTriedAgainByTheNextCaller() {
    AtomicInteger builds = new AtomicInteger();
    BuiltOnce<String> value = new BuiltOnce<>(() -> {
      if (builds.incrementAndGet() == 1) {
        throw new IllegalStateException("first build fails");
      }
      return "built";
    });

    assertThrows(IllegalStateException.class, value::get);
    assertEquals(1, builds.get(), "nothing kept from the failed build");
    assertEquals("built", value.get());
    assertEquals(2, builds.get());
  }

  @Test
  void closedBeforeFirstUseBuildsNothingAndReleasesNothing() {
    AtomicInteger builds = new AtomicInteger();
    List<Object> released = new ArrayList<>();
    BuiltOnce<Object> value = new BuiltOnce<>(() -> {
      builds.incrementAndGet();
      return new Object();
    });

    value.close(released::add);

    assertThrows(BuiltOnce.Closed.class, value::get);
    assertEquals(0, builds.get());
    assertEquals(List.of(), released);
  }

  @Test
  void closeReleasesTheBuiltValueOnce() {
    BuiltOnce<String> value = new BuiltOnce<>(() -> "built");
    List<String> released = new ArrayList<>();
    value.get();

    value.close(released::add);

    assertEquals(List.of("built"), released);
  }
}

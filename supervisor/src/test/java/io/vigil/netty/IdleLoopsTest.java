package io.vigil.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.vigil.lb.netty.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An idle event loop that {@link IdleLoops} looks after sleeps until it is needed; a plain Netty
 * 4.2 loop wakes every second. Real threads and real time (what is tested is how often the
 * kernel wakes a thread), counted from the loop thread's voluntary context switches.
 */
class IdleLoopsTest {
  private static final long IDLE_MILLIS = 2_500;

  @Test
  void anIdleLoopIsNotWokenEverySecond() throws Exception {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(1, LoopThreads.named("idle-test"),
            Transport.detect().ioHandlers());
    try {
      IdleLoops.sleepUntilNeeded(group);
      // The loop thread's id in the kernel, read on the loop itself.
      Path thread = group.submit(() -> Path.of("/proc/thread-self").toRealPath())
          .get(5, TimeUnit.SECONDS);
      long before = voluntarySwitches(thread);

      Thread.sleep(IDLE_MILLIS);

      long wakeUps = voluntarySwitches(thread) - before;
      // Without IdleLoops: two or three (one a second); with it, none (one allowed for the
      // moment the submitted task's thread went back to sleep).
      assertTrue(wakeUps <= 1,
          "idle loop woke " + wakeUps + " times in " + IDLE_MILLIS + " ms");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static long voluntarySwitches(Path thread) throws IOException {
    for (String line : Files.readAllLines(thread.resolve("status"))) {
      if (line.startsWith("voluntary_ctxt_switches:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new IllegalStateException("no voluntary_ctxt_switches in " + thread);
  }
}

package io.vigil.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
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
    // Two idle loops side by side over the same seconds, one of them looked after
    EventLoopGroup plain = loop("idle-plain");
    EventLoopGroup asleep = loop("idle-asleep");
    try {
      IdleLoops.sleepUntilNeeded(asleep);
      Path plainThread = kernelThreadOf(plain);
      Path asleepThread = kernelThreadOf(asleep);
      long plainBefore = voluntarySwitches(plainThread);
      long asleepBefore = voluntarySwitches(asleepThread);

      Thread.sleep(IDLE_MILLIS);

      long plainWakeUps = voluntarySwitches(plainThread) - plainBefore;
      long asleepWakeUps = voluntarySwitches(asleepThread) - asleepBefore;
      // The plain loop shows what is being counted (one wake-up a second); the other sleeps,
      // one wake-up allowed for the moment the thread went back to sleep after the lookup.
      assertTrue(plainWakeUps >= 2,
          "a plain idle loop woke " + plainWakeUps + " times in " + IDLE_MILLIS + " ms; if Netty"
              + " no longer wakes idle loops every second, IdleLoops can go");
      assertTrue(asleepWakeUps <= 1,
          "idle loop woke " + asleepWakeUps + " times in " + IDLE_MILLIS + " ms");
    } finally {
      plain.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      asleep.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static EventLoopGroup loop(String name) {
    return new MultiThreadIoEventLoopGroup(1, LoopThreads.named(name),
        Transport.detect().ioHandlers());
  }

  /** The loop thread's directory in /proc, read on the loop itself. */
  private static Path kernelThreadOf(EventLoopGroup group) throws Exception {
    return group.submit(() -> Path.of("/proc/thread-self").toRealPath()).get(5, TimeUnit.SECONDS);
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

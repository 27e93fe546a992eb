package io.vigil.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Keeps idle Netty event loops asleep. A Netty 4.2 loop with no scheduled task does not wait
 * for I/O indefinitely: its deadline falls back to one second from now (the executor's
 * "schedule purge interval"), so every idle loop wakes once a second for nothing. On a VM each
 * such wake-up of an idle CPU costs far more than its work: the metrics endpoint's loop, asleep
 * between scrapes, cost 0.2-0.5 % of a core that way. A no-op task scheduled a day ahead gives
 * the loop a real deadline, so it sleeps until I/O, a task or that day comes.
 */
public final class IdleLoops {
  private static final long ONE_DAY_NANOS = TimeUnit.DAYS.toNanos(1);

  private IdleLoops() {}

  /** Call once, after creating the group; shutting the group down cancels the tasks. */
  public static void sleepUntilNeeded(EventLoopGroup group) {
    for (EventExecutor loop : group) {
      loop.scheduleAtFixedRate(() -> { }, ONE_DAY_NANOS, ONE_DAY_NANOS, TimeUnit.NANOSECONDS);
    }
  }
}

package io.vigil.lb.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** On EmbeddedChannel's loop and clock: time moves only when the test says. */
class LoopTimerTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final LoopTimer timer = new LoopTimers().of(channel.eventLoop());

  {
    channel.freezeTime(); // it follows real time by default
  }
  private final List<String> fired = new ArrayList<>();

  private Timeout timeout(String name) {
    return new Timeout() {
      @Override
      void expired() {
        fired.add(name);
      }
    };
  }

  private void advanceMs(long ms) {
    channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void aTimeoutFiresAtItsDelayAndNotBefore() {
    // Given a 100 ms timeout armed now
    timer.queue(ms(100)).arm(timeout("a"));

    // When 99 ms pass / Then nothing; when the 100th passes / Then it fires, once
    advanceMs(99);
    assertEquals(List.of(), fired);
    advanceMs(1);
    assertEquals(List.of("a"), fired);
    advanceMs(1000);
    assertEquals(List.of("a"), fired);
  }

  @Test
  void cancelledTimeoutsNeverFireAndTheNextOneStillDoes() {
    // Given three 100 ms timeouts armed 10 ms apart, the first two cancelled in time
    TimeoutQueue queue = timer.queue(ms(100));
    Timeout a = timeout("a");
    Timeout b = timeout("b");
    queue.arm(a);
    advanceMs(10);
    queue.arm(b);
    advanceMs(10);
    queue.arm(timeout("c"));
    a.cancel();
    b.cancel();

    // When the time of the first two passes / Then nothing fires
    advanceMs(85);
    assertEquals(List.of(), fired);
    assertFalse(a.armed());

    // When the third one's time comes / Then it fires
    advanceMs(15);
    assertEquals(List.of("c"), fired);
  }

  @Test
  void aShorterDelayArmedAfterALongerOneFiresFirst() {
    // Given a 10 s timeout (the timer is set for it), then a 200 ms one on the same loop
    timer.queue(ms(10_000)).arm(timeout("request"));
    advanceMs(50);
    timer.queue(ms(200)).arm(timeout("per-try"));

    // When 200 ms pass / Then the short one fired: the timer was moved earlier
    advanceMs(200);
    assertEquals(List.of("per-try"), fired);

    // When the long one's time comes / Then it fires too
    advanceMs(9_750);
    assertEquals(List.of("per-try", "request"), fired);
  }

  @Test
  void reArmingMovesTheDeadlineAndATimeoutMayArmAnotherWhenItFires() {
    // Given a 100 ms timeout re-armed after 60 ms, and one that arms a follow-up when it fires
    TimeoutQueue queue = timer.queue(ms(100));
    Timeout moved = timeout("moved");
    queue.arm(moved);
    Timeout followUp = timeout("follow-up");
    TimeoutQueue other = timer.queue(ms(30));
    advanceMs(60);
    queue.arm(moved);
    other.arm(new Timeout() {
      @Override
      void expired() {
        fired.add("first");
        other.arm(followUp);
      }
    });

    // When time passes / Then each fires at its own time
    advanceMs(30);
    assertEquals(List.of("first"), fired);
    advanceMs(30);
    assertEquals(List.of("first", "follow-up"), fired);
    advanceMs(39);
    assertEquals(List.of("first", "follow-up"), fired);
    advanceMs(1);
    assertEquals(List.of("first", "follow-up", "moved"), fired);
  }

  @Test
  void aFailingTimeoutDoesNotStopTheOthersOrTheTimer() {
    // Given a timeout that throws, then two good ones
    TimeoutQueue queue = timer.queue(ms(100));
    queue.arm(new Timeout() {
      @Override
      void expired() {
        throw new IllegalStateException("a bug");
      }
    });
    queue.arm(timeout("b"));
    advanceMs(10);
    Timeout c = timeout("c");
    queue.arm(c);

    // When their time comes / Then the good ones fire anyway
    advanceMs(99);
    assertEquals(List.of("b"), fired);
    advanceMs(1);
    assertEquals(List.of("b", "c"), fired);
    assertFalse(c.armed());
  }

  @Test
  void armingAgainAfterAnIdleSpellSetsTheTimerAgain() {
    // Given a timeout that fired and left no other
    TimeoutQueue queue = timer.queue(ms(100));
    queue.arm(timeout("a"));
    advanceMs(100);

    // When one is armed much later / Then it fires on time
    advanceMs(5_000);
    Timeout b = timeout("b");
    queue.arm(b);
    assertTrue(b.armed());
    advanceMs(100);
    assertEquals(List.of("a", "b"), fired);
  }

  private static long ms(long ms) {
    return TimeUnit.MILLISECONDS.toNanos(ms);
  }
}

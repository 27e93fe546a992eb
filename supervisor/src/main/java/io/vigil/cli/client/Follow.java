package io.vigil.cli.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * How a follow loop ({@code logs -f}, {@code events -f}) waits between polls and learns that the
 * user pressed Ctrl-C. While the trap is set, Ctrl-C runs the loop's own action (interrupt the
 * thread, close the stream) so that the loop ends with exit 0 instead of the JVM dying with 130.
 * Tests pass a fake that presses "Ctrl-C" by hand and never sleeps.
 */
interface Follow {
  /** Until the trap is closed, SIGINT runs {@code onCtrlC} (on the JVM's signal thread). */
  Trap trapCtrlC(Runnable onCtrlC);

  /** Waits {@code delay}; throws when the thread is interrupted. */
  void pause(Duration delay) throws InterruptedException;

  /** Restores the previous SIGINT handling on close. */
  interface Trap extends AutoCloseable {
    /** Whether Ctrl-C was pressed while the trap was set. */
    boolean sprung();

    @Override
    void close();
  }

  Follow SYSTEM = new Follow() {
    @Override
    public Trap trapCtrlC(Runnable onCtrlC) {
      Signal interrupt = new Signal("INT");
      AtomicBoolean sprung = new AtomicBoolean();
      SignalHandler previous;
      try {
        previous = Signal.handle(interrupt, s -> {
          sprung.set(true);
          onCtrlC.run();
        });
      } catch (IllegalArgumentException e) {
        // The JVM keeps SIGINT (-Xrs): Ctrl-C then ends the JVM as usual, with 130.
        return new Trap() {
          @Override
          public boolean sprung() {
            return false;
          }

          @Override
          public void close() {}
        };
      }
      return new Trap() {
        @Override
        public boolean sprung() {
          return sprung.get();
        }

        @Override
        public void close() {
          Signal.handle(interrupt, previous);
        }
      };
    }

    @Override
    public void pause(Duration delay) throws InterruptedException {
      Thread.sleep(delay.toMillis());
    }
  };
}

package io.vigil.cli.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Follow} for tests: pauses return at once, and the test (or the pause after {@code
 * pausesBeforeCtrlC} of them) "presses Ctrl-C" by running the command's own action, as the
 * signal handler would. Never touches signals or sleeps.
 */
final class ScriptedFollow implements Follow {
  private int pausesLeft;
  private Runnable onCtrlC;
  private boolean sprung;
  final List<Duration> pauses = new ArrayList<>();
  int trapsOpen;

  ScriptedFollow(int pausesBeforeCtrlC) {
    this.pausesLeft = pausesBeforeCtrlC;
  }

  @Override
  public Trap trapCtrlC(Runnable action) {
    trapsOpen++;
    onCtrlC = action;
    return new Trap() {
      @Override
      public boolean sprung() {
        return sprung;
      }

      @Override
      public void close() {
        trapsOpen--;
        onCtrlC = null;
      }
    };
  }

  /** Ctrl-C: runs the trap's action if a trap is set. */
  void pressCtrlC() {
    if (onCtrlC != null) {
      sprung = true;
      onCtrlC.run();
    }
  }

  @Override
  public void pause(Duration delay) throws InterruptedException {
    pauses.add(delay);
    if (pausesLeft-- == 0) {
      pressCtrlC();
    }
    if (Thread.interrupted()) {
      throw new InterruptedException("Ctrl-C");
    }
  }
}

package io.vigil.agent.process;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets a child start with SIGQUIT deliverable. HotSpot blocks SIGQUIT (its thread-dump signal) in
 * every Java thread, and a child inherits the signal mask of the thread that forks it; JDKs before
 * 20 (JDK-8234262) do not clear it in the child. An instance started that way never sees
 * {@code stop.signal = QUIT} (it stays pending until SIGKILL), nor Ctrl-\ from a terminal. So the
 * forking thread unblocks SIGQUIT for the duration of the fork and blocks it again right after; a
 * SIGQUIT sent to Vigil meanwhile still reaches HotSpot's handler, which works on any thread.
 */
final class ForkSignalMask {
  private static final Logger LOG = Logger.getLogger(ForkSignalMask.class.getName());

  private static final int SIG_BLOCK = 0;
  private static final int SIG_UNBLOCK = 1;
  private static final int SIGQUIT = 3;
  /** glibc's sigset_t: 1024 bits. */
  private static final int SIGSET_LONGS = 16;

  private static volatile boolean warned;

  private ForkSignalMask() {}

  /** Something that forks a child from the calling thread. */
  @FunctionalInterface
  interface Fork<T, E extends Exception> {
    T run() throws E;
  }

  /** Runs {@code fork} with SIGQUIT unblocked in this thread; the mask is put back after. */
  static <T, E extends Exception> T withSigquitUnblocked(Fork<T, E> fork) throws E {
    long[] quit = sigset(SIGQUIT);
    long[] old = new long[SIGSET_LONGS];
    boolean changed = mask(SIG_UNBLOCK, quit, old);
    boolean wasBlocked = changed && (old[0] & quit[0]) != 0;
    try {
      return fork.run();
    } finally {
      if (wasBlocked) {
        mask(SIG_BLOCK, quit, null);
      }
    }
  }

  /** Whether SIGQUIT is blocked in the calling thread (for tests). */
  static boolean sigquitBlockedHere() {
    long[] current = new long[SIGSET_LONGS];
    return mask(SIG_BLOCK, new long[SIGSET_LONGS], current) && (current[0] & sigset(SIGQUIT)[0]) != 0;
  }

  private static long[] sigset(int signal) {
    long[] set = new long[SIGSET_LONGS];
    set[0] = 1L << (signal - 1);
    return set;
  }

  private static boolean mask(int how, long[] set, long[] old) {
    int error = LibC.INSTANCE.pthread_sigmask(how, set, old);
    if (error != 0 && !warned) {
      warned = true;
      LOG.log(Level.WARNING, "pthread_sigmask failed (error {0}): instances may start with"
          + " SIGQUIT blocked", error);
    }
    return error == 0;
  }
}

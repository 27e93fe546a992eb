package io.vigil.agent.process;

import com.sun.jna.Memory;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for the exit of processes that are not the JVM's children, all on one thread.
 *
 * <p>Why: for a non-child, {@code ProcessHandle.onExit()} polls with sleeps that grow up to 5 s,
 * so an adopted instance's crash would be noticed late. A pidfd ({@code pidfd_open(2)}, Linux
 * 5.3+) becomes readable the moment its process exits, whoever its parent is. The thread {@code
 * poll(2)}s every pidfd plus an eventfd; {@link #watch} and {@link #close} write to the eventfd
 * to wake it so it picks up the new set.
 *
 * <p>Thread-safe. Futures are completed on the watcher thread, so dependents must be quick.
 */
final class PidfdWatcher implements AutoCloseable {

  private static final Logger LOG = System.getLogger(PidfdWatcher.class.getName());

  private static final int POLLFD_SIZE = 8;
  private static final int REVENTS_OFFSET = 6;
  private static final long POLL_ERROR_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final int eventFd;
  private final Thread thread;
  private final Queue<Watch> added = new ArrayDeque<>();
  private boolean closed;

  private record Watch(int pidfd, CompletableFuture<Void> exited) {}

  private PidfdWatcher(int eventFd, ThreadFactory threads) {
    this.eventFd = eventFd;
    this.thread = threads.newThread(this::loop);
  }

  /** Starts the watcher thread; empty when this kernel has no pidfd_open (or no eventfd). */
  static Optional<PidfdWatcher> start(ThreadFactory threads) {
    int probe = pidfdOpen(ProcessHandle.current().pid());
    if (probe < 0) {
      LOG.log(Level.WARNING, "pidfd_open is not available (errno {0})", -probe);
      return Optional.empty();
    }
    LibC.INSTANCE.close(probe);
    int eventFd = LibC.INSTANCE.eventfd(0, LibC.EFD_CLOEXEC);
    if (eventFd < 0) {
      LOG.log(Level.WARNING, "eventfd failed (errno {0})", LibC.errno());
      return Optional.empty();
    }
    PidfdWatcher watcher = new PidfdWatcher(eventFd, threads);
    watcher.thread.start();
    return Optional.of(watcher);
  }

  /** A pidfd for {@code pid} (close-on-exec, as all pidfds), or minus the errno on failure. */
  static int pidfdOpen(long pid) {
    long fd = LibC.INSTANCE.syscall(LibC.SYS_PIDFD_OPEN, (int) pid, 0);
    return fd >= 0 ? (int) fd : -LibC.errno();
  }

  /** Takes ownership of {@code pidfd}; the future completes once its process has exited. */
  CompletableFuture<Void> watch(int pidfd) {
    CompletableFuture<Void> exited = new CompletableFuture<>();
    synchronized (this) {
      if (!closed) {
        added.add(new Watch(pidfd, exited));
        wake();
        return exited;
      }
    }
    LibC.INSTANCE.close(pidfd);
    exited.cancel(false);
    return exited;
  }

  /** Stops the thread; futures still waiting are cancelled. Processes are left alone. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      wake();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void wake() {
    try (Memory one = new Memory(Long.BYTES)) {
      one.setLong(0, 1);
      LibC.INSTANCE.write(eventFd, one, Long.BYTES);
    }
  }

  private void loop() {
    List<Watch> watched = new ArrayList<>();
    while (takeAdded(watched)) {
      try {
        pollOnce(watched);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "Unexpected failure in the pidfd watcher; continuing", e);
        LockSupport.parkNanos(POLL_ERROR_PAUSE_NANOS);
      }
    }
    for (Watch w : watched) {
      LibC.INSTANCE.close(w.pidfd());
      w.exited().cancel(false);
    }
  }

  /** Moves new watches into {@code watched}; false once closed (then also closes the eventfd). */
  private synchronized boolean takeAdded(List<Watch> watched) {
    while (!added.isEmpty()) {
      watched.add(added.remove());
    }
    if (closed) {
      LibC.INSTANCE.close(eventFd);
    }
    return !closed;
  }

  private void pollOnce(List<Watch> watched) {
    int count = watched.size() + 1;
    try (Memory fds = new Memory((long) POLLFD_SIZE * count)) {
      fds.clear();
      fds.setInt(0, eventFd);
      fds.setShort(4, LibC.POLLIN);
      for (int i = 0; i < watched.size(); i++) {
        fds.setInt((long) POLLFD_SIZE * (i + 1), watched.get(i).pidfd());
        fds.setShort((long) POLLFD_SIZE * (i + 1) + 4, LibC.POLLIN);
      }
      if (LibC.INSTANCE.poll(fds, count, -1) < 0) {
        pollFailed(LibC.errno());
        return;
      }
      if (revents(fds, 0) != 0) {
        drainEventFd();
      }
      completeExited(watched, fds);
    }
  }

  private void completeExited(List<Watch> watched, Memory fds) {
    List<Watch> done = new ArrayList<>();
    for (int i = 0; i < watched.size(); i++) {
      if (revents(fds, i + 1) != 0) {
        done.add(watched.get(i));
      }
    }
    watched.removeAll(done);
    for (Watch w : done) {
      LibC.INSTANCE.close(w.pidfd());
      w.exited().complete(null);
    }
  }

  private static short revents(Memory fds, int index) {
    return fds.getShort((long) POLLFD_SIZE * index + REVENTS_OFFSET);
  }

  private void drainEventFd() {
    try (Memory counter = new Memory(Long.BYTES)) {
      LibC.INSTANCE.read(eventFd, counter, Long.BYTES);
    }
  }

  private static void pollFailed(int errno) {
    if (errno != LibC.EINTR) {
      LOG.log(Level.ERROR, "poll on pidfds failed, errno {0}; retrying", errno);
      LockSupport.parkNanos(POLL_ERROR_PAUSE_NANOS);
    }
  }
}

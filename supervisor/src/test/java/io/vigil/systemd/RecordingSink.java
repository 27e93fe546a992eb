package io.vigil.systemd;

import java.util.ArrayList;
import java.util.List;

/** A {@link NotifySink} that keeps what it is sent. Thread-safe. */
final class RecordingSink implements NotifySink {
  private final List<String> sent = new ArrayList<>();
  private boolean closed;

  @Override
  public synchronized void send(String message) {
    sent.add(message);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  synchronized List<String> sent() {
    return List.copyOf(sent);
  }

  synchronized boolean closed() {
    return closed;
  }
}

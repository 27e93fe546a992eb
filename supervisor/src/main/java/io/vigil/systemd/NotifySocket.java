package io.vigil.systemd;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * Sends sd_notify messages to {@code $NOTIFY_SOCKET}, one datagram each, as sd_notify(3) does.
 * Vigil must keep running when systemd cannot be told, so nothing is thrown: the first failure is
 * a warning, later ones are logged at debug level. The socket is opened at the first message.
 * Thread-safe.
 */
final class NotifySocket implements NotifySink {
  private static final Logger LOG = System.getLogger(NotifySocket.class.getName());

  private final UnixAddress address;
  private UnixDatagramSocket socket;
  private boolean failureLogged;
  private boolean closed;

  NotifySocket(UnixAddress address) {
    this.address = address;
  }

  @Override
  public synchronized void send(String message) {
    if (closed) {
      LOG.log(Level.DEBUG, () -> "notifier closed; dropped " + firstLine(message));
      return;
    }
    try {
      if (socket == null) {
        socket = UnixDatagramSocket.open();
      }
      socket.send(message.getBytes(StandardCharsets.UTF_8), address);
    } catch (IOException | LinkageError e) {
      // LinkageError: JNA could not load libc (e.g. no writable directory to unpack into).
      failed(message, e);
    }
  }

  private void failed(String message, Throwable e) {
    String text = "cannot notify systemd at NOTIFY_SOCKET=" + address + " (" + firstLine(message)
        + "): " + e;
    if (failureLogged) {
      LOG.log(Level.DEBUG, text);
    } else {
      failureLogged = true;
      LOG.log(Level.WARNING, text + "; further failures are logged at debug level. Under"
          + " Type=notify, systemd then times the start out or, with WatchdogSec, restarts Vigil");
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (socket != null) {
      socket.close();
    }
  }

  private static String firstLine(String message) {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl) + " ...";
  }
}

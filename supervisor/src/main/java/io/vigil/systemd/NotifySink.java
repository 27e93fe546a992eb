package io.vigil.systemd;

/** Where sd_notify messages go: systemd's socket, or nowhere. Implementations never throw. */
@FunctionalInterface
interface NotifySink extends AutoCloseable {

  /** Not run by systemd, or asked not to be told: every message is dropped. */
  NotifySink NONE = message -> { };

  /** Sends one message of {@code KEY=value} lines; failures are logged, not thrown. */
  void send(String message);

  @Override
  default void close() {}
}

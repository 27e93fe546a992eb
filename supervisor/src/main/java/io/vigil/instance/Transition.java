package io.vigil.instance;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of an instance's state, as recorded in the {@link EventLog}. {@code pid}, {@code
 * exitCode} and {@code signal} are null when they do not apply.
 *
 * <p>{@link #describe()} gives one log line, e.g. {@code web/0 RUNNING -> EXITED (exited: exit
 * code 3) pid=1234 exit=3}.
 */
public record Transition(
    Instant at,
    InstanceId instance,
    InstanceState from,
    InstanceState to,
    String reason,
    Long pid,
    Integer exitCode,
    Integer signal) implements InstanceEvent {

  public Transition {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
  }

  /** One log line: instance, states, reason, then whichever of pid, exit code, signal are set. */
  @Override
  public String describe() {
    StringBuilder line = new StringBuilder()
        .append(instance).append(' ').append(from).append(" -> ").append(to)
        .append(" (").append(reason).append(')');
    if (pid != null) {
      line.append(" pid=").append(pid);
    }
    if (exitCode != null) {
      line.append(" exit=").append(exitCode);
    }
    if (signal != null) {
      line.append(" signal=").append(signal);
    }
    return line.toString();
  }
}

package io.vigil.instance;

import java.time.Instant;

/**
 * One entry of the {@link EventLog}: something that happened to an instance, when, and why.
 * Either a change of its lifecycle state ({@link Transition}) or of its place in the load
 * balancer's rotation ({@link RotationChange}).
 */
public sealed interface InstanceEvent permits Transition, RotationChange {
  Instant at();

  InstanceId instance();

  String reason();

  /** One log line, e.g. {@code web/0 READY -> EXITED (exited: exit code 3) pid=1234 exit=3}. */
  String describe();
}

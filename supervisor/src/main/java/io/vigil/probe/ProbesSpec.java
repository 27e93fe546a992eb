package io.vigil.probe;

import java.util.Optional;

/** A service's probes; each one is optional. */
public record ProbesSpec(
    Optional<ProbeSpec> startup, Optional<ProbeSpec> liveness, Optional<ProbeSpec> readiness) {

  public static ProbesSpec none() {
    return new ProbesSpec(Optional.empty(), Optional.empty(), Optional.empty());
  }

  public Optional<ProbeSpec> get(ProbeKind kind) {
    return switch (kind) {
      case STARTUP -> startup;
      case LIVENESS -> liveness;
      case READINESS -> readiness;
    };
  }
}

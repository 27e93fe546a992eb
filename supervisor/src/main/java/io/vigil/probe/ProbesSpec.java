package io.vigil.probe;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

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

  /** The kinds this service has a probe for. */
  public Set<ProbeKind> kinds() {
    Set<ProbeKind> kinds = EnumSet.noneOf(ProbeKind.class);
    for (ProbeKind kind : ProbeKind.values()) {
      get(kind).ifPresent(spec -> kinds.add(kind));
    }
    return kinds;
  }
}

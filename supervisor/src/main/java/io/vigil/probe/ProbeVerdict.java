package io.vigil.probe;

import java.util.Objects;

/** A probe's passing state changed: it now passes or fails, and why. */
public record ProbeVerdict(ProbeKind kind, boolean passing, String reason) {
  public ProbeVerdict {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
  }
}

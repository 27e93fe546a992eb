package io.vigil.probe;

import java.util.Locale;

/** The kubelet's three probe roles. */
public enum ProbeKind {
  STARTUP, LIVENESS, READINESS;

  // Computed once: the key labels every probe result's metrics, 500+ times a second.
  private final String key = name().toLowerCase(Locale.ROOT);

  /** The role's name in configuration and metrics: {@code startup}, {@code liveness}, ... */
  public String key() {
    return key;
  }
}

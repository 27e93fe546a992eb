package io.vigil.probe;

/** The kubelet's three probe roles. */
public enum ProbeKind {
  STARTUP, LIVENESS, READINESS;

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

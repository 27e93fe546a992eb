package io.vigil.cli.client;

import java.util.List;

/** A service as {@code GET /v1/services/{svc}} shows it. Immutable. */
record ServiceStatus(String name, int desired, int ready, int failed,
    List<InstanceStatus> instances) {
  ServiceStatus {
    instances = instances == null ? List.of() : List.copyOf(instances);
  }
}

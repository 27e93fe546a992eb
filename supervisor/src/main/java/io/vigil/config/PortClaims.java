package io.vigil.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The ports each service will listen on or probe, and the rule that two services never share one:
 * instance ports ({@code port} .. {@code port + instances - 1}), probe ports given explicitly and
 * load balancer listen ports. A service may reuse its own instance and probe ports (a liveness and
 * a readiness probe on one admin port); a load balancer's port is exclusive, even within its own
 * service, because Vigil itself binds it.
 */
final class PortClaims {
  private record Claim(
      String service, int first, int last, String path, Origin origin, boolean exclusive) {
    boolean overlaps(Claim other) {
      boolean conflict = exclusive || other.exclusive || !service.equals(other.service);
      return conflict && first <= other.last && other.first <= last;
    }

    String range() {
      return first == last ? Integer.toString(first) : first + "-" + last;
    }
  }

  private final List<Claim> claims = new ArrayList<>();

  void claim(String service, int first, int last, String path, Origin origin) {
    claims.add(new Claim(service, first, last, path, origin, false));
  }

  /** A port no other claim may share, whoever made it: a load balancer's listen port. */
  void claimExclusive(String service, int port, String path, Origin origin) {
    claims.add(new Claim(service, port, port, path, origin, true));
  }

  /** Each claim that overlaps an earlier one is reported, at the later one. */
  void reportOverlaps(Problems problems) {
    for (int i = 0; i < claims.size(); i++) {
      Claim later = claims.get(i);
      claims.subList(0, i).stream().filter(later::overlaps).findFirst().ifPresent(earlier ->
          problems.add(later.origin(), later.path(), describe(later, earlier)));
    }
  }

  private static String describe(Claim later, Claim earlier) {
    String ports = later.first() == later.last() ? "port " + later.range() + " overlaps"
        : "ports " + later.range() + " overlap";
    return ports + " service '" + earlier.service() + "' (" + earlier.range() + ") at "
        + earlier.path();
  }
}

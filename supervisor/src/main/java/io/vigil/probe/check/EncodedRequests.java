package io.vigil.probe.check;

import io.vigil.probe.CheckSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * The encoded requests of HTTP checks, one per target (spec, host and port), so that a check
 * looks its request up instead of building and encoding it.
 *
 * <p>Not thread-safe: used on the probe event loop only, so the buffers' reference counts never
 * race with the writes that share them. {@link #clear()} releases every request; the probe loop
 * does so when it closes.
 */
final class EncodedRequests {
  /**
   * Targets come and go (instances restarted on other ports, specs replaced by a reload), and
   * nothing tells this cache which are gone, so past this many it starts again from empty
   * rather than grow for ever. Starting again costs one encoding per live target, and the bound
   * sits well above the set-ups measured (500 instances: at most 1,500 targets with startup,
   * liveness and readiness checks of different paths).
   */
  static final int MAX_TARGETS = 4096;

  private final Map<Target, EncodedRequest> byTarget = new HashMap<>();

  /**
   * The request for {@code spec} to {@code host} and {@code port}, owned by this cache: a
   * caller that keeps it beyond the current task retains it.
   *
   * @throws IllegalArgumentException when a configured header cannot be sent
   */
  EncodedRequest get(CheckSpec.Http spec, String host, int port) {
    Target target = new Target(spec, host, port);
    EncodedRequest request = byTarget.get(target);
    if (request == null) {
      request = EncodedRequest.encode(spec, host, port);
      if (byTarget.size() >= MAX_TARGETS) {
        clear();
      }
      byTarget.put(target, request);
    }
    return request;
  }

  int size() {
    return byTarget.size();
  }

  /** Releases every request; checks still sending one hold their own reference. */
  void clear() {
    byTarget.values().forEach(EncodedRequest::release);
    byTarget.clear();
  }

  private record Target(CheckSpec.Http spec, String host, int port) {}
}

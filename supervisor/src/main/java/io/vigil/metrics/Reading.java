package io.vigil.metrics;

import io.vigil.control.ServiceView;
import java.time.Instant;
import java.util.List;

/**
 * What one scrape learned from the control loop.
 *
 * @param services every service with its instances; empty when the loop did not answer
 * @param responsive whether the loop answered within the wait
 * @param latencySeconds how long it took to answer, or how long we waited in vain
 * @param lastAnswer wall-clock time of the latest answer of any scrape; null if it never answered
 */
record Reading(
    List<ServiceView> services, boolean responsive, double latencySeconds, Instant lastAnswer) {
  Reading {
    services = List.copyOf(services);
  }
}

/**
 * The checks behind probes: one HTTP GET, TCP connect or command per call, bounded by a timeout;
 * HTTP checks reuse kept-alive connections unless told not to. A failing target is a {@link
 * io.vigil.probe.CheckOutcome}; an exceptional future is our bug.
 */
package io.vigil.probe.check;

/**
 * Probe policy, the kubelet's {@code doProbe} minus the I/O: thresholds, startup gating and
 * scheduling as decisions taken on explicit {@code now} values. Pure: no threads, sockets or
 * clock reads; the checks themselves live in the mechanism package {@code io.vigil.probe.check}.
 */
package io.vigil.probe;

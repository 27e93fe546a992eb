/**
 * The load balancer's policy: which instance gets a request ({@link io.vigil.lb.Balancer}), which
 * instances are ejected ({@link io.vigil.lb.OutlierDetector}), what is retried and what is shed.
 * Pure: every decision is handed {@code now}; the Netty data path in {@code lb.netty} does the I/O.
 */
package io.vigil.lb;

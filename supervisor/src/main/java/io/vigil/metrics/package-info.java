/**
 * Prometheus metrics: callback gauges that read a snapshot of the control loop at scrape time,
 * counters fed by the supervisor's observer and event log, and the HTTP exporter. The only
 * package that imports {@code io.prometheus}; nothing but the composition root imports it.
 */
package io.vigil.metrics;

/**
 * The demo backend: a tiny HTTP service with fault injection (crash, hang, slow, errors,
 * readiness, memory leak) to watch Vigil's probes, restarts and load balancing at work.
 */
package io.vigil.demo;

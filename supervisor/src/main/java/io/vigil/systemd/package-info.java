/**
 * systemd integration: {@code sd_notify} readiness, status and stop messages, and a watchdog that
 * pings systemd only while the control loop answers. Talks to {@code $NOTIFY_SOCKET} through a
 * few libc calls bound with JNA; no dependency on libsystemd or on agent internals.
 */
package io.vigil.systemd;

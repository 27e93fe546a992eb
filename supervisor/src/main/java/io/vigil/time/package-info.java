/**
 * Injected time: a monotonic {@link io.vigil.time.Ticker}; wall-clock time comes from {@code
 * java.time.Clock}. Pure: apart from {@code Ticker.SYSTEM}, nothing here reads a clock or sleeps.
 */
package io.vigil.time;

/** Injected time: a monotonic {@link io.vigil.time.Ticker}; wall-clock time comes from {@code java.time.Clock}. */
package io.vigil.time;

/**
 * Restart policy: after an exit or an unhealthy kill, restart after a delay, stay down, or give
 * up on a crash loop, always with a reason. Pure: time and randomness are passed in.
 */
package io.vigil.restart;

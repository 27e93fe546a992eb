/**
 * Process mechanics on Linux: launch in an own session and process group, exit detection by
 * event (JDK reaper, pidfd), signals to groups, graceful stop, re-adoption and orphan reaping.
 * The only package that calls native code (JNA, libc).
 */
package io.vigil.agent.process;

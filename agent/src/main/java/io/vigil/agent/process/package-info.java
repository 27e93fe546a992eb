/**
 * Process mechanics on Linux: launch in an own session and process group (instances detached
 * from the JDK), exit detection by event (pidfd, the JDK's reaper for exec probes), real wait
 * statuses, signals to groups, graceful stop, re-adoption and orphan reaping. The only package
 * that calls native code (JNA, libc).
 */
package io.vigil.agent.process;

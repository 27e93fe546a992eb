package io.vigil.agent;

/** How a short command (an exec probe) ended: its status, or timed out and killed. */
public record ExecResult(ExitStatus status, boolean timedOut, String outputTail) {}

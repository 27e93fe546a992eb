package io.vigil.agent;

/** One sample of a process's resource use. cpuSeconds is user + system time since start. */
public record ProcessSample(
    long pid, double cpuSeconds, long residentBytes, int threads, long openFiles) {}

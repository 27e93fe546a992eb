package io.vigil.agent;

/** One sample of the host: CPU use in [0,1] since the previous sample, memory, load averages. */
public record HostSample(
    double cpuLoad,
    long memoryTotalBytes,
    long memoryAvailableBytes,
    double load1,
    double load5,
    double load15) {}

package io.vigil.agent.host;

import io.vigil.agent.HostSample;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/**
 * Samples the host through OSHI, which reads /proc on Linux. Processes are sampled without it
 * ({@code io.vigil.agent.process.ProcSampler}), for cost.
 *
 * <p>Host CPU load is measured between two calls of {@link #host()} (the first call measures
 * since construction), so the previous CPU ticks are kept here. Thread-safe.
 */
public final class OshiSampler {

  private final CentralProcessor cpu;
  private final GlobalMemory memory;
  private long[] previousTicks;

  public OshiSampler() {
    SystemInfo system = new SystemInfo();
    this.cpu = system.getHardware().getProcessor();
    this.memory = system.getHardware().getMemory();
    this.previousTicks = cpu.getSystemCpuLoadTicks();
  }

  public synchronized HostSample host() {
    double load = cpu.getSystemCpuLoadBetweenTicks(previousTicks);
    previousTicks = cpu.getSystemCpuLoadTicks();
    double[] averages = cpu.getSystemLoadAverage(3);
    return new HostSample(
        load, memory.getTotal(), memory.getAvailable(), averages[0], averages[1], averages[2]);
  }
}

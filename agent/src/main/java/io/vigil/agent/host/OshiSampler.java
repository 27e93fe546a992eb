package io.vigil.agent.host;

import io.vigil.agent.HostSample;
import io.vigil.agent.ProcessSample;
import java.util.Optional;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Samples processes and the host through OSHI, which reads /proc on Linux.
 *
 * <p>Host CPU load is measured between two calls of {@link #host()} (the first call measures
 * since construction), so the previous CPU ticks are kept here. Thread-safe.
 */
public final class OshiSampler {

  private static final double MILLIS_PER_SECOND = 1000.0;

  private final OperatingSystem os;
  private final CentralProcessor cpu;
  private final GlobalMemory memory;
  private long[] previousTicks;

  public OshiSampler() {
    SystemInfo system = new SystemInfo();
    this.os = system.getOperatingSystem();
    this.cpu = system.getHardware().getProcessor();
    this.memory = system.getHardware().getMemory();
    this.previousTicks = cpu.getSystemCpuLoadTicks();
  }

  /** Empty when no process has this pid. The caller checks that it is the right process. */
  public Optional<ProcessSample> process(long pid) {
    OSProcess process = os.getProcess((int) pid);
    if (process == null || process.getState() == OSProcess.State.INVALID) {
      return Optional.empty();
    }
    return Optional.of(
        new ProcessSample(
            pid,
            (process.getUserTime() + process.getKernelTime()) / MILLIS_PER_SECOND,
            process.getResidentSetSize(),
            process.getThreadCount(),
            process.getOpenFiles()));
  }

  public synchronized HostSample host() {
    double load = cpu.getSystemCpuLoadBetweenTicks(previousTicks);
    previousTicks = cpu.getSystemCpuLoadTicks();
    double[] averages = cpu.getSystemLoadAverage(3);
    return new HostSample(
        load, memory.getTotal(), memory.getAvailable(), averages[0], averages[1], averages[2]);
  }
}

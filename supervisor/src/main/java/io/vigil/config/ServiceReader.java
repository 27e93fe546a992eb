package io.vigil.config;

import io.vigil.lb.LbSpec;
import io.vigil.limits.LimitsSpec;
import io.vigil.probe.ProbesSpec;
import io.vigil.restart.RestartSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Reads one service, already merged with {@code vigil.defaults.service}, into a {@link
 * ServiceSpec}. Registers the service's ports, and its load balancer's, with {@link PortClaims} for
 * the cross-service check.
 */
final class ServiceReader {
  // Names become file names (state, logs) and metric labels; 63 is a DNS label's limit, so a name
  // also works as a Kubernetes object name.
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final int MAX_NAME = 63;
  private static final int MAX_PORT = 65535;

  private final Path baseDir;
  private final ProbeReader probes;
  private final PortClaims claims;
  private final LbReader loadBalancers;

  ServiceReader(Path baseDir, ProbeReader probes, PortClaims claims, LbReader loadBalancers) {
    this.baseDir = baseDir;
    this.probes = probes;
    this.claims = claims;
    this.loadBalancers = loadBalancers;
  }

  Optional<ServiceSpec> read(String name, Section service) {
    int mark = service.mark();
    checkName(name, service);
    List<String> command = service.required("command", Readings.COMMAND);
    Path workingDir = service.required("working-dir", Readings.path(baseDir));
    Map<String, String> env = env(service);
    Optional<String> user = service.optional("user", Readings.TEXT);
    Integer instances = service.required("instances", Readings.atLeast(1));
    OptionalInt port = port(name, service, instances);
    Optional<ProbesSpec> probeSpecs =
        service.child("probes").map(p -> probes.read(name, p, service.has("port")));
    Optional<RestartSpec> restart = service.child("restart").flatMap(RestartReader::read);
    Optional<StopSpec> stop = service.child("stop").flatMap(ServiceReader::stop);
    Optional<LimitsSpec> limits = service.child("limits").flatMap(ServiceReader::limits);
    Optional<LbSpec> loadBalancer = loadBalancers.read(name, service);
    if (!service.cleanSince(mark)) {
      return Optional.empty();
    }
    return Optional.of(new ServiceSpec(name, command, workingDir, env, user, instances, port,
        probeSpecs.get(), restart.get(), stop.get(), limits.get(), service.origin(),
        loadBalancer));
  }

  private static void checkName(String name, Section service) {
    if (!NAME.matcher(name).matches()) {
      service.reportHere("service name '" + name + "' must match [a-z0-9][a-z0-9-]* "
          + "(it becomes a file name and a metric label)");
    } else if (name.length() > MAX_NAME) {
      service.reportHere("service name must be at most " + MAX_NAME + " characters (got "
          + name.length() + ")");
    }
  }

  private static Map<String, String> env(Section service) {
    Map<String, String> env = service.stringMap("env");
    service.child("env").ifPresent(section -> env.keySet().stream()
        .filter(key -> key.isEmpty() || key.contains("=") || key.contains("\0"))
        .forEach(key -> section.report(key, "is not a valid environment variable name")));
    return env;
  }

  private OptionalInt port(String name, Section service, Integer instances) {
    Optional<Integer> port = service.optional("port", Readings.PORT);
    if (port.isEmpty() || instances == null) {
      return port.map(OptionalInt::of).orElse(OptionalInt.empty());
    }
    int first = port.get();
    int last = first + instances - 1;
    if (last > MAX_PORT) {
      service.report("port", "port " + first + " with " + instances + " instances needs ports up to "
          + last + "; the highest port is " + MAX_PORT);
    } else {
      claims.claim(name, first, last, service.pathOf("port"), service.originOf("port"));
    }
    return OptionalInt.of(first);
  }

  private static Optional<StopSpec> stop(Section stop) {
    int mark = stop.mark();
    var signal = stop.required("signal", Readings.SIGNAL);
    var gracePeriod = stop.required("grace-period", Readings.POSITIVE_DURATION);
    return stop.cleanSince(mark) ? Optional.of(new StopSpec(signal, gracePeriod)) : Optional.empty();
  }

  private static Optional<LimitsSpec> limits(Section limits) {
    int mark = limits.mark();
    Optional<Long> memory = limits.optional("memory", Readings.SIZE);
    Integer samples = limits.required("memory-samples", Readings.atLeast(1));
    if (!limits.cleanSince(mark)) {
      return Optional.empty();
    }
    OptionalLong bytes = memory.map(OptionalLong::of).orElse(OptionalLong.empty());
    return Optional.of(new LimitsSpec(bytes, samples));
  }
}

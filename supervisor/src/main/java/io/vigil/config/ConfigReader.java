package io.vigil.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a resolved configuration into a {@link VigilConfig}: checks keys, reads the daemon and
 * each service, then the rules that span services. Returns empty if it reported any problem.
 */
final class ConfigReader {
  private final Path file;
  private final Problems problems;

  ConfigReader(Path file, Problems problems) {
    this.file = file;
    this.problems = problems;
  }

  Optional<VigilConfig> read(Config root) {
    int mark = problems.mark();
    AllowedKeys.ROOT.check(root.root(), "", problems);
    Section top = new Section(root.root(), "", new Origin(file.toString(), 1), problems);
    Section vigil = top.child("vigil").orElse(empty(top, "vigil"));
    DaemonSpec daemon = DaemonReader.read(vigil, file.getParent());
    Map<String, ServiceSpec> services = readServices(top, vigil);
    if (!problems.cleanSince(mark)) {
      return Optional.empty();
    }
    return Optional.of(new VigilConfig(file.toString(), daemon, services));
  }

  private Map<String, ServiceSpec> readServices(Section top, Section vigil) {
    Section defaults = vigil.child("defaults").orElse(empty(vigil, "defaults"));
    PortClaims claims = new PortClaims();
    ServiceReader reader = new ServiceReader(file.getParent(),
        new ProbeReader(template(defaults, "probe"), claims), claims,
        new LbReader(template(defaults, LbReader.KEY), claims));
    ConfigObject serviceTemplate = template(defaults, "service");
    Map<String, ServiceSpec> services = new LinkedHashMap<>();
    top.child("services").ifPresent(section -> {
      for (String name : inFileOrder(section)) {
        section.child(name)
            .flatMap(service -> reader.read(name, service.withFallback(serviceTemplate)))
            .ifPresent(spec -> services.put(name, spec));
      }
    });
    claims.reportOverlaps(problems);
    return Collections.unmodifiableMap(services);
  }

  /** Services in the order they were written, so that reports and start order follow the file. */
  private List<String> inFileOrder(Section services) {
    Comparator<Origin> order = Origins.order(file.toString());
    return services.keys().stream()
        .sorted(Comparator.comparing(services::originOf, order)
            .thenComparing(Comparator.naturalOrder()))
        .toList();
  }

  private static ConfigObject template(Section defaults, String key) {
    return defaults.child(key).map(Section::object).orElse(ConfigFactory.empty().root());
  }

  /** Stands in for an object that was not an object (already reported), so reading can go on. */
  private static Section empty(Section parent, String key) {
    return new Section(ConfigFactory.empty().root(), parent.pathOf(key), parent.origin(),
        new Problems());
  }
}

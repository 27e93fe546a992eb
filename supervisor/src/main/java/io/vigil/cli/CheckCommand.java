package io.vigil.cli;

import io.vigil.config.VigilConfig;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil check}: validates a configuration; exit 0 when valid, 2 with every problem. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Validate the configuration and print every problem as FILE:LINE: key: message.")
final class CheckCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Optional<VigilConfig> loaded = config.load(spec.commandLine().getErr());
    if (loaded.isEmpty()) {
      return 2;
    }
    VigilConfig c = loaded.get();
    int instances = c.services().values().stream().mapToInt(s -> s.instances()).sum();
    spec.commandLine().getOut().printf("%s: valid (%d services, %d instances)%n",
        c.source(), c.services().size(), instances);
    return 0;
  }
}

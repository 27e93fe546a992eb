package io.vigil.control;

import io.vigil.config.ConfigInvalidException;
import io.vigil.config.VigilConfig;

/** Re-reads the configuration file Vigil was started with (for reload). */
@FunctionalInterface
public interface ConfigSource {
  VigilConfig load() throws ConfigInvalidException;
}

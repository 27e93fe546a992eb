package io.vigil.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The status API and page ({@code vigil.api}) and the metrics endpoint ({@code vigil.metrics}).
 * A token file, when set, has been checked to be a regular file readable only by its owner.
 */
public record ApiSpec(ListenAddress listen, Optional<Path> tokenFile, ListenAddress metricsListen) {}

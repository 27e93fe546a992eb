package io.vigil.config;

import java.util.Map;

/** A whole validated configuration: the daemon's settings and the services by name (file order). */
public record VigilConfig(String source, DaemonSpec daemon, Map<String, ServiceSpec> services) {}

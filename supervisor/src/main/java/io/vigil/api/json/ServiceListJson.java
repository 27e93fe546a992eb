package io.vigil.api.json;

import java.util.List;

/** {@code GET /v1/services}: every service, in configuration order. */
public record ServiceListJson(List<ServiceJson> services) {}

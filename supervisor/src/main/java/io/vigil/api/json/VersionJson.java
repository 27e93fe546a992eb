package io.vigil.api.json;

/** {@code GET /v1/version}. */
public record VersionJson(String version) {}

package io.vigil.api.json;

/** {@code /healthz} and {@code /readyz}: {@code {"status":"ok"}}. */
public record StatusJson(String status) {}

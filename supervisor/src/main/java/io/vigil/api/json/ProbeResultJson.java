package io.vigil.api.json;

/** The latest result of one probe, e.g. {@code {"success":true,"detail":"HTTP 200"}}. */
public record ProbeResultJson(boolean success, String detail) {}

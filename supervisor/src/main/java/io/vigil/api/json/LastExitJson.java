package io.vigil.api.json;

/** How the previous process of an instance ended; code and signal are both null if unknown. */
public record LastExitJson(Integer code, Integer signal, String description) {}

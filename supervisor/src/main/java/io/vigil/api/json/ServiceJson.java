package io.vigil.api.json;

import java.util.List;

/** One service: desired instance count, how many are READY or FAILED, and each instance. */
public record ServiceJson(String name, int desired, int ready, int failed,
    List<InstanceJson> instances) {}

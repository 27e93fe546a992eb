package io.vigil.api.json;

import java.util.List;

/** What a reload did, by service name. */
public record ReloadResultJson(
    List<String> added, List<String> removed, List<String> changed, List<String> unchanged) {}

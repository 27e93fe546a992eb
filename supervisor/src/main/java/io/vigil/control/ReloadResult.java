package io.vigil.control;

import java.util.List;

/** What a reload did, by service name. */
public record ReloadResult(
    List<String> added, List<String> removed, List<String> changed, List<String> unchanged) {}

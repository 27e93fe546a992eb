package io.vigil.api.json;

import java.util.List;

/** {@code GET /v1/events}: transitions, oldest first. */
public record EventListJson(List<EventJson> events) {}

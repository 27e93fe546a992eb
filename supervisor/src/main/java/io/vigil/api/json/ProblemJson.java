package io.vigil.api.json;

import java.util.List;

/**
 * An error as RFC 9457 problem details ({@code application/problem+json}). {@code errors} is
 * present only for a refused reload: every problem of the configuration, as {@code vigil check}
 * prints them ({@code FILE:LINE: key: message}).
 */
public record ProblemJson(
    String type,
    String title,
    int status,
    String detail,
    List<String> errors) implements NullsOmitted {}

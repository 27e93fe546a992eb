package io.vigil.api.json;

/**
 * The answer to an operator action that goes on after the response (202 Accepted), e.g. {@code
 * {"accepted":true,"action":"restart","service":"web"}}. {@code instance} appears only for an
 * action on one instance.
 */
public record AcceptedJson(
    boolean accepted,
    String action,
    String service,
    Integer instance) implements NullsOmitted {}

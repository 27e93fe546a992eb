package io.vigil.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to an operator action that goes on after the response (202 Accepted), e.g. {@code
 * {"accepted":true,"action":"restart","service":"web"}}. {@code instance} appears only for an
 * action on one instance.
 */
public record AcceptedJson(
    boolean accepted,
    String action,
    String service,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer instance) {}

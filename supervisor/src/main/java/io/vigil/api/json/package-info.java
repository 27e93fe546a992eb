/**
 * The status API's JSON bodies as plain records, one per shape in {@code docs/api.md} and the
 * OpenAPI document. Kept apart from the domain types so that a change inside Vigil never changes
 * the wire format by accident; {@code io.vigil.api.ToJson} does the copying.
 */
package io.vigil.api.json;

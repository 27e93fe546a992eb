package io.vigil.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.ws.rs.ext.ContextResolver;

/**
 * The one Jackson {@link ObjectMapper} of the API (for Jersey's JSON provider and for the event
 * stream). Records map to objects with their component names; nulls are written as null.
 */
final class JsonMapper implements ContextResolver<ObjectMapper> {
  private final ObjectMapper mapper = new ObjectMapper()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  ObjectMapper mapper() {
    return mapper;
  }

  @Override
  public ObjectMapper getContext(Class<?> type) {
    return mapper;
  }
}

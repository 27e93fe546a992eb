package io.vigil.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import io.vigil.api.json.NullsOmitted;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * The API's one JSON writer: Jersey's for response bodies, and the event stream's and error
 * pages'. Records become objects with their components in declaration order; null components
 * are written as null, except in a {@link NullsOmitted} record.
 *
 * <p>jackson-jr rather than jackson-databind: the API only writes JSON, and databind with
 * Jersey's Jackson feature loaded ~500 classes more into a daemon that must stay under 128 MB
 * (docs/performance.md). Thread-safe.
 */
@Produces({MediaType.APPLICATION_JSON, ProblemResponse.TYPE})
final class ApiJson implements MessageBodyWriter<Record> {
  private static final JSON NULLS_WRITTEN = writer(true);
  private static final JSON NULLS_LEFT_OUT = writer(false);

  /** {@code body} as JSON text. */
  String write(Record body) {
    try {
      return writerFor(body).asString(body);
    } catch (IOException e) {
      // Our own records hold strings, numbers, lists and maps: failing to write one is a bug.
      throw new UncheckedIOException("cannot write " + body.getClass().getSimpleName()
          + " as JSON", e);
    }
  }

  @Override
  public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations,
      MediaType mediaType) {
    return type.isRecord();
  }

  @Override
  public void writeTo(Record body, Class<?> type, Type genericType, Annotation[] annotations,
      MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
      throws IOException {
    writerFor(body).write(body, out);
  }

  private static JSON writer(boolean writeNulls) {
    // Jersey owns the response stream: writing a body must not close it.
    JsonFactory factory = JsonFactory.builder()
        .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    return JSON.builder(factory)
        .enable(JSON.Feature.WRITE_RECORD_FIELDS_IN_DECLARATION_ORDER)
        .set(JSON.Feature.WRITE_NULL_PROPERTIES, writeNulls)
        .build();
  }

  private static JSON writerFor(Record body) {
    return body instanceof NullsOmitted ? NULLS_LEFT_OUT : NULLS_WRITTEN;
  }
}

package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.json.ProblemJson;
import io.vigil.api.json.StatusJson;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiJsonTest {
  private final ApiJson json = new ApiJson();

  /** Records what Jersey would see: the bytes, and whether the writer closed its stream. */
  private static final class ResponseStream extends ByteArrayOutputStream {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void jerseyGetsTheSameBytesAndKeepsItsStreamOpen() throws Exception {
    // Given
    ProblemJson problem = ProblemResponse.body(404, "no service 'nope'", null);
    ResponseStream out = new ResponseStream();

    // When
    json.writeTo(problem, ProblemJson.class, ProblemJson.class, new Annotation[0],
        ProblemResponse.MEDIA_TYPE, new MultivaluedHashMap<>(), out);

    // Then
    assertEquals(json.write(problem), out.toString(StandardCharsets.UTF_8));
    assertFalse(out.closed, "the writer closed Jersey's response stream");
  }

  @Test
  void aProblemLeavesOutOnlyItsMissingErrors() {
    assertEquals("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
        + "\"detail\":\"gone\"}", json.write(ProblemResponse.body(404, "gone", null)));
    assertEquals("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
        + "\"detail\":\"2 problem(s)\",\"errors\":[\"a.conf:1: x: bad\",\"a.conf:2: y: bad\"]}",
        json.write(ProblemResponse.body(400, "2 problem(s)",
            List.of("a.conf:1: x: bad", "a.conf:2: y: bad"))));
  }

  @Test
  void aProblemWithoutDetailTakesItsTitleAsDetail() {
    // detail is required (openapi.json): an exception without a message must still give one
    assertEquals("{\"type\":\"about:blank\",\"title\":\"Internal Server Error\","
        + "\"status\":500,\"detail\":\"Internal Server Error\"}",
        json.write(ProblemResponse.body(500, null, null)));
  }

  @Test
  void writesRecordsOnly() {
    MediaType type = MediaType.APPLICATION_JSON_TYPE;
    assertTrue(json.isWriteable(StatusJson.class, StatusJson.class, new Annotation[0], type));
    // The OpenAPI document is served as bytes, the logs as text: not ours to quote.
    assertFalse(json.isWriteable(byte[].class, byte[].class, new Annotation[0], type));
    assertFalse(json.isWriteable(String.class, String.class, new Annotation[0], type));
  }
}

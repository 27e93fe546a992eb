package io.vigil.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over {@link #MAX_BYTES} with a 413, before anything else looks at the
 * request. No endpoint takes a body today; the limit keeps it that way for anything larger. A
 * chunked body has no length up front, so up to the limit is read and handed on from memory.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
final class BodyLimit implements ContainerRequestFilter {
  static final int MAX_BYTES = 64 * 1024;

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    int length = request.getLength();
    if (length > MAX_BYTES) {
      request.abortWith(tooLarge());
    } else if (length < 0 && request.hasEntity()) {
      InputStream in = request.getEntityStream();
      byte[] body = in.readNBytes(MAX_BYTES + 1);
      if (body.length > MAX_BYTES) {
        request.abortWith(tooLarge());
      } else {
        request.setEntityStream(new ByteArrayInputStream(body));
      }
    }
  }

  private static jakarta.ws.rs.core.Response tooLarge() {
    return ProblemResponse.of(413, "request bodies are limited to " + MAX_BYTES + " bytes");
  }
}

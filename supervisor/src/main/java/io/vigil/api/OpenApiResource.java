package io.vigil.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The hand-written OpenAPI 3.1 description of this API, from the jar. {@code OpenApiTest} keeps
 * it in step with the resources and the JSON records.
 */
@Path("/")
public final class OpenApiResource {
  static final String DOCUMENT = "openapi.json";

  private final byte[] document = StaticFile.load(DOCUMENT);

  @GET
  @Path("v1/openapi.json")
  @Produces(MediaType.APPLICATION_JSON)
  public byte[] openapi() {
    return document;
  }
}

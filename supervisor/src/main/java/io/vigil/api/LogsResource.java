package io.vigil.api;

import io.vigil.control.Commands;
import io.vigil.instance.InstanceId;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import java.io.IOException;

/**
 * {@code GET /v1/services/{service}/logs}: the last lines of an instance's current stdout or
 * stderr file. The file comes only from {@link Commands#logFiles} for an instance that exists;
 * nothing the client sends becomes part of a path.
 */
@Path("/v1/services")
@RequiresToken
public final class LogsResource {
  static final int DEFAULT_TAIL = 100;
  static final int MAX_TAIL = 10_000;
  /** Ten thousand lines of a chatty service fit; a runaway single line does not fill the heap. */
  static final long MAX_BYTES = 16L * 1024 * 1024;

  private final Commands commands;
  private final ServiceLookup lookup;
  private final LogTail tail = new LogTail(MAX_BYTES);

  LogsResource(Commands commands, ServiceLookup lookup) {
    this.commands = commands;
    this.lookup = lookup;
  }

  @GET
  @Path("{service}/logs")
  @Produces("text/plain; charset=utf-8")
  public String logs(@PathParam("service") String service,
      @QueryParam("instance") String instance, @QueryParam("tail") String lines,
      @QueryParam("stream") String stream) throws IOException {
    String name = Params.service(service);
    int index = Params.integer("instance", instance, 0, 0, Integer.MAX_VALUE);
    int count = Params.integer("tail", lines, DEFAULT_TAIL, 1, MAX_TAIL);
    int which = Params.choice("stream", stream, "stdout", "stderr");
    lookup.instance(name, index);
    java.nio.file.Path file = commands.logFiles(new InstanceId(name, index)).get(which);
    return tail.read(file, count);
  }
}

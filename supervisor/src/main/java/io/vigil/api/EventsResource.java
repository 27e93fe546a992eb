package io.vigil.api;

import io.vigil.api.json.EventListJson;
import io.vigil.instance.EventLog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;

/**
 * Instance events (state transitions, load balancer rotation changes): the recent ones from the
 * event log, and a live stream of new ones as Server-Sent Events. Both accept the token as
 * {@code ?access_token=} for EventSource.
 */
@Path("/v1/events")
@RequiresToken
public final class EventsResource {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final EventLog log;
  private final EventStreams streams;

  EventsResource(EventLog log, EventStreams streams) {
    this.log = log;
    this.streams = streams;
  }

  /** Up to {@code limit} of the newest matching events, oldest first. */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @QueryTokenAllowed
  public EventListJson list(@QueryParam("service") String service,
      @QueryParam("since") String since, @QueryParam("limit") String limit) {
    String name = service == null || service.isEmpty() ? null : Params.service(service);
    Instant from = Params.instant("since", since);
    int max = Params.integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
    return new EventListJson(log.query(name, from, max).stream().map(ToJson::event).toList());
  }

  @GET
  @Path("stream")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @QueryTokenAllowed
  public void stream(@Context SseEventSink sink, @Context Sse sse) {
    streams.open(sink, sse);
  }
}

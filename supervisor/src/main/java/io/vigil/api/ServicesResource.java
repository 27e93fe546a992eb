package io.vigil.api;

import io.vigil.api.json.InstanceJson;
import io.vigil.api.json.ServiceJson;
import io.vigil.api.json.ServiceListJson;
import io.vigil.control.ServiceView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;

/** Read-only status of services and instances. Open even when a token is configured. */
@Path("/v1/services")
@Produces(MediaType.APPLICATION_JSON)
public final class ServicesResource {
  private final ServiceLookup lookup;
  private final Clock clock;

  ServicesResource(ServiceLookup lookup, Clock clock) {
    this.lookup = lookup;
    this.clock = clock;
  }

  @GET
  public ServiceListJson list() {
    var now = clock.instant();
    return new ServiceListJson(lookup.allWithSamples().stream().map(s -> ToJson.service(s, now)).toList());
  }

  @GET
  @Path("{service}")
  public ServiceJson service(@PathParam("service") String service) {
    return ToJson.service(lookup.serviceWithSamples(Params.service(service)), clock.instant());
  }

  @GET
  @Path("{service}/instances/{id}")
  public InstanceJson instance(@PathParam("service") String service, @PathParam("id") String id) {
    String name = Params.service(service);
    int index = Params.instance("instance id", id);
    ServiceView view = lookup.serviceWithSamples(name);
    return ToJson.instance(lookup.instance(view, index), view.loadBalancer(), clock.instant());
  }
}

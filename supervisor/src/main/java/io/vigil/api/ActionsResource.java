package io.vigil.api;

import io.vigil.api.json.AcceptedJson;
import io.vigil.control.Commands;
import io.vigil.instance.InstanceId;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Operator actions. Each answers 202 Accepted as soon as the supervisor has taken it on (a
 * rolling restart can take minutes); an immediate refusal (unknown name, a rolling restart
 * already running) is answered instead, which is why each waits up to {@link #EARLY_FAILURE}.
 * A later failure is logged.
 */
@Path("/v1/services")
@Produces(MediaType.APPLICATION_JSON)
@RequiresToken
public final class ActionsResource {
  private static final Logger LOG = System.getLogger(ActionsResource.class.getName());
  static final Duration EARLY_FAILURE = Duration.ofMillis(200);

  private final Commands commands;
  private final ServiceLookup lookup;

  ActionsResource(Commands commands, ServiceLookup lookup) {
    this.commands = commands;
    this.lookup = lookup;
  }

  /** Rolling restart: one instance at a time, each READY again before the next. */
  @POST
  @Path("{service}/restart")
  public Response restart(@PathParam("service") String service) {
    return onService("restart", service, commands::restartService);
  }

  @POST
  @Path("{service}/stop")
  public Response stop(@PathParam("service") String service) {
    return onService("stop", service, commands::stopService);
  }

  @POST
  @Path("{service}/start")
  public Response start(@PathParam("service") String service) {
    return onService("start", service, commands::startService);
  }

  @POST
  @Path("{service}/instances/{id}/restart")
  public Response restartInstance(
      @PathParam("service") String service, @PathParam("id") String id) {
    String name = Params.service(service);
    int index = Params.instance("instance id", id);
    lookup.instance(name, index);
    InstanceId instance = new InstanceId(name, index);
    return accepted("restart", instance.toString(), commands.restartInstance(instance),
        new AcceptedJson(true, "restart", name, index));
  }

  private Response onService(
      String action, String service, Function<String, CompletableFuture<Void>> command) {
    String name = Params.service(service);
    lookup.service(name);
    return accepted(action, name, command.apply(name), new AcceptedJson(true, action, name, null));
  }

  private static Response accepted(
      String action, String target, CompletableFuture<Void> done, AcceptedJson body) {
    Await.noEarlyFailure(done, EARLY_FAILURE);
    done.whenComplete((v, e) -> {
      if (e != null) {
        LOG.log(Level.WARNING, action + " of " + target + " (requested through the API) failed: "
            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
      }
    });
    return Response.accepted(body).build();
  }
}

package io.vigil.api;

import io.vigil.api.json.StatusJson;
import io.vigil.api.json.VersionJson;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Health for load balancers and systemd-style watchdogs, and the version. Always open.
 * {@code /healthz} proves the control loop still runs tasks; {@code /readyz} that the API is
 * serving a started supervisor.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
  static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

  private final Supplier<CompletableFuture<Void>> ping;
  private final BooleanSupplier ready;

  HealthResource(Supplier<CompletableFuture<Void>> ping, BooleanSupplier ready) {
    this.ping = ping;
    this.ready = ready;
  }

  @GET
  @Path("healthz")
  public Response healthz() {
    try {
      ping.get().get(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return Response.ok(new StatusJson("ok")).build();
    } catch (TimeoutException e) {
      return ProblemResponse.of(503, "the control loop did not answer within "
          + PING_TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      return ProblemResponse.of(503, "the control loop is not running");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProblemResponse.of(503, "interrupted");
    }
  }

  @GET
  @Path("readyz")
  public Response readyz() {
    return ready.getAsBoolean() ? Response.ok(new StatusJson("ok")).build()
        : ProblemResponse.of(503, "not ready yet");
  }

  @GET
  @Path("v1/version")
  public VersionJson version() {
    return new VersionJson(version(HealthResource.class));
  }

  /** What Maven wrote into the jar's manifest, or "dev" when running from classes. */
  static String version(Class<?> type) {
    String v = type.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}

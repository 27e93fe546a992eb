package io.vigil.api;

import io.vigil.control.Commands;
import io.vigil.control.ConfigSource;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.jersey.media.sse.SseFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** The Jersey application: which resources and providers, built from their collaborators. */
final class ApiApplication {
  /** Every resource class; {@code OpenApiTest} checks the OpenAPI document against these. */
  static final List<Class<?>> RESOURCES = List.of(ServicesResource.class,
      ActionsResource.class, LogsResource.class, EventsResource.class, ReloadResource.class,
      HealthResource.class, OpenApiResource.class, StatusPageResource.class);

  /**
   * Jersey warns, wrongly, that each resource registered as an instance is an unusable provider
   * (eclipse-ee4j/jersey#3700); the resources work. Instances are how the resources get their
   * collaborators without a DI container, so that one logger is quieted. Held here because
   * java.util.logging forgets the level of a logger nobody references.
   */
  private static final Logger PROVIDER_CHECKS =
      Logger.getLogger("org.glassfish.jersey.internal.inject.Providers");

  private ApiApplication() {}

  static ResourceConfig create(Commands commands, ConfigSource source,
      Supplier<CompletableFuture<Void>> ping, Optional<BearerToken> token, ApiJson json,
      EventStreams streams, BooleanSupplier ready, Clock clock) {
    PROVIDER_CHECKS.setLevel(Level.SEVERE);
    ServiceLookup lookup = new ServiceLookup(commands);
    ResourceConfig app = new ResourceConfig()
        .register(new ServicesResource(lookup, clock))
        .register(new ActionsResource(commands, lookup))
        .register(new LogsResource(commands, lookup))
        .register(new EventsResource(commands.events(), streams))
        .register(new ReloadResource(source, commands))
        .register(new HealthResource(ping, ready))
        .register(new OpenApiResource())
        .register(new StatusPageResource())
        .register(json)
        .register(SseFeature.class)
        .register(new BodyLimit())
        .register(new TokenFilter(token))
        .register(new SecurityHeaders())
        .register(new ProblemMapper());
    app.setApplicationName("vigil-api");
    app.property(ServerProperties.WADL_FEATURE_DISABLE, true);
    // Errors come back as entities we built, never through Grizzly's sendError page.
    app.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
    app.property(ServerProperties.BV_FEATURE_DISABLE, true);
    return app;
  }
}

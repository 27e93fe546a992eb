package io.vigil.api;

import io.vigil.api.json.ReloadResultJson;
import io.vigil.config.ConfigInvalidException;
import io.vigil.config.Problem;
import io.vigil.control.Commands;
import io.vigil.control.ConfigSource;
import io.vigil.control.Reload;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;

/**
 * {@code POST /v1/reload}: the same reload as SIGHUP ({@link Reload}). An invalid file is a 400
 * listing every problem as {@code vigil check} prints it; the running configuration stays.
 */
@Path("/v1/reload")
@RequiresToken
public final class ReloadResource {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ConfigSource source;
  private final Commands commands;

  ReloadResource(ConfigSource source, Commands commands) {
    this.source = source;
    this.commands = commands;
  }

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  public ReloadResultJson reload() {
    try {
      return ToJson.reload(Await.value(Reload.apply(source, commands), TIMEOUT, "the reload"));
    } catch (ConfigInvalidException e) {
      throw new ProblemException(400, "the configuration has " + e.problems().size()
          + " problem(s); nothing was changed",
          e.problems().stream().map(Problem::toString).toList());
    }
  }
}

package io.vigil.control;

import io.vigil.config.ConfigInvalidException;
import io.vigil.config.VigilConfig;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;

/**
 * A reload, whoever asks for it (SIGHUP or {@code POST /v1/reload}): re-read the configuration
 * and apply it as a diff. An invalid configuration is refused with every problem logged, and the
 * running one stays; the caller gets the problems too, to show them.
 */
public final class Reload {
  private static final Logger LOG = System.getLogger(Reload.class.getName());

  private Reload() {}

  /**
   * Loads and applies; the future completes once the diff has been decided (instances may still
   * be rolling).
   *
   * @throws ConfigInvalidException when the file is invalid; nothing was changed
   */
  public static CompletableFuture<ReloadResult> apply(ConfigSource source, Commands commands)
      throws ConfigInvalidException {
    VigilConfig next;
    try {
      next = source.load();
    } catch (ConfigInvalidException e) {
      e.problems().forEach(p -> LOG.log(Level.ERROR, p.toString()));
      LOG.log(Level.ERROR, "reload refused: " + e.problems().size()
          + " problem(s); the running configuration stays");
      throw e;
    }
    return commands.reload(next);
  }
}

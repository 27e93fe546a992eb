package io.vigil.control;

import io.vigil.config.VigilConfig;
import io.vigil.instance.EventLog;
import io.vigil.instance.InstanceId;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the outside (API, CLI, metrics) may ask of the supervisor. Futures fail with {@link
 * java.util.NoSuchElementException} for an unknown service or instance, and with {@link
 * IllegalStateException} when the request conflicts with what is going on (a rolling restart
 * already running).
 */
public interface Commands {
  /**
   * Every service, in configuration order, with its instances and their resource samples as
   * last taken: enough to find a name, answered at once.
   */
  CompletableFuture<List<ServiceView>> services();

  /**
   * The same, for showing the instances' resources: each live instance's sample is taken again
   * first when it is a sample interval old or older (waiting about a second at most; then the
   * older sample is shown).
   */
  CompletableFuture<List<ServiceView>> servicesWithSamples();

  EventLog events();

  /** Rolling restart: one instance at a time, each back to READY before the next. */
  CompletableFuture<Void> restartService(String service);

  /** Stops every instance of a service; they stay down until started. */
  CompletableFuture<Void> stopService(String service);

  /** Starts every instance of a service that is down (EXITED, BACKOFF or FAILED). */
  CompletableFuture<Void> startService(String service);

  CompletableFuture<Void> restartInstance(InstanceId id);

  CompletableFuture<Void> stopInstance(InstanceId id);

  CompletableFuture<Void> startInstance(InstanceId id);

  /**
   * Applies a new, already validated configuration as a diff: new services start, removed ones
   * stop, changed ones are replaced one instance at a time, unchanged ones are not touched.
   */
  CompletableFuture<ReloadResult> reload(VigilConfig config);

  /** The current stdout and stderr log files of an instance (they may not exist yet). */
  List<Path> logFiles(InstanceId id);
}

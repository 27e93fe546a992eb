package io.vigil.api;

import io.vigil.config.ApiSpec;
import io.vigil.config.ListenAddress;
import io.vigil.control.Commands;
import io.vigil.control.ConfigSource;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The status REST API and the status page ({@code docs/api.md}), served by Jersey on Grizzly.
 *
 * <pre>{@code
 * try (ApiServer api = ApiServer.start(cfg.daemon().api(), supervisor, configSource,
 *     supervisor::ping)) {
 *   // http://127.0.0.1:9650/ until closed
 * }
 * }</pre>
 *
 * <p>The address is bound by {@link #start}; Jersey's application behind it is built by the
 * first request ({@link OnFirstRequest}), so a Vigil whose API is never called never loads it.
 *
 * <p>A few request threads ({@code vigil-api-N}) plus one per connected event-stream writer.
 * The API reads and commands the supervisor only through {@link Commands}; it holds no state of
 * its own. Thread-safe.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = System.getLogger(ApiServer.class.getName());
  /** Requests are short; more threads would only queue on the one control loop. */
  private static final int MAX_THREADS = 8;
  private static final String LISTENER = "vigil-api";

  private final HttpServer server;
  private final BuiltOnce<EventStreams> streams;
  private final int port;

  private ApiServer(HttpServer server, BuiltOnce<EventStreams> streams, int port) {
    this.server = server;
    this.streams = streams;
    this.port = port;
  }

  /**
   * Reads the token file (if any), binds {@code spec.listen()} and serves until {@link #close}.
   *
   * @param ping completes once the supervisor's control loop has run a task (for /healthz)
   * @throws IOException when the token file cannot be read or the address cannot be bound; the
   *     message names the setting and the address, and nothing is left running
   */
  public static ApiServer start(ApiSpec spec, Commands commands, ConfigSource configSource,
      Supplier<CompletableFuture<Void>> ping) throws IOException {
    return start(spec, commands, configSource, ping, Clock.systemUTC());
  }

  static ApiServer start(ApiSpec spec, Commands commands, ConfigSource configSource,
      Supplier<CompletableFuture<Void>> ping, Clock clock) throws IOException {
    Optional<BearerToken> token = BearerToken.read(spec.tokenFile());
    BuiltOnce<ApiJson> json = new BuiltOnce<>(ApiJson::new);
    BuiltOnce<EventStreams> streams =
        new BuiltOnce<>(() -> new EventStreams(commands.events(), json.get()));
    AtomicBoolean serving = new AtomicBoolean();
    OnFirstRequest api = new OnFirstRequest(() -> {
      ResourceConfig app = ApiApplication.create(commands, configSource, ping, token,
          json.get(), streams.get(), serving::get, clock);
      return new UriGuard(ContainerFactory.createContainer(GrizzlyHttpContainer.class, app),
          json.get());
    });
    HttpServer server = server(spec.listen(), api, json);
    IdleTimers idleTimers = IdleTimers.watch(server.getListener(LISTENER));
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      server.shutdownNow();
      String why = e.getMessage() != null ? e.getMessage()
          : "cannot bind this address (" + e.getClass().getSimpleName() + ")";
      throw new IOException("vigil.api.listen " + spec.listen() + ": cannot listen: " + why, e);
    }
    idleTimers.attach(server);
    int port = server.getListener(LISTENER).getPort();
    serving.set(true);
    LOG.log(Level.INFO, "status API and page on http://" + hostForUrl(spec.listen()) + ":"
        + port + "/" + (token.isPresent() ? " (token required for actions, logs and events)"
        : ""));
    return new ApiServer(server, streams, port);
  }

  private static HttpServer server(ListenAddress listen, HttpHandler api,
      Supplier<ApiJson> json) {
    NetworkListener listener = new NetworkListener(LISTENER, bare(listen.host()), listen.port());
    listener.getTransport().setWorkerThreadPoolConfig(ThreadPoolConfig.defaultConfig()
        .setPoolName("vigil-api").setCorePoolSize(2).setMaxPoolSize(MAX_THREADS)
        .setDaemon(true));
    // One selector thread is plenty for a status API; Grizzly's default is one per core.
    listener.getTransport().setSelectorRunnersCount(1);
    listener.getTransport().setKernelThreadPoolConfig(ThreadPoolConfig.defaultConfig()
        .setPoolName("vigil-api-selector").setCorePoolSize(1).setMaxPoolSize(1).setDaemon(true));
    listener.setDefaultErrorPageGenerator(new ErrorPages(json));
    HttpServer server = new HttpServer();
    server.addListener(listener);
    server.getServerConfiguration().setName("vigil-api");
    server.getServerConfiguration().setDefaultErrorPageGenerator(new ErrorPages(json));
    server.getServerConfiguration().setDefaultQueryEncoding(StandardCharsets.UTF_8);
    server.getServerConfiguration().addHttpHandler(api);
    return server;
  }

  /** {@code [::1]} as configured; Grizzly wants the address without brackets. */
  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
        : host;
  }

  private static String hostForUrl(ListenAddress listen) {
    String host = bare(listen.host());
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** The bound port: the configured one, or the one the kernel chose for port 0. */
  public int port() {
    return port;
  }

  /**
   * Closes the event streams and stops at once. Requests still in flight are cut: Vigil is
   * stopping every instance anyway, and Grizzly's graceful shutdown would only add seconds and a
   * warning to every exit.
   */
  @Override
  public void close() {
    // Streams first, so that their clients are ended; a request that arrives meanwhile can no
    // longer build them (or the API, once the server has destroyed its handler).
    streams.close(EventStreams::close);
    server.shutdownNow();
  }
}

package io.vigil.it;

import io.vigil.api.ApiServer;
import io.vigil.config.ApiSpec;
import io.vigil.config.ConfigLoader;
import io.vigil.config.ListenAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A {@link Harness} supervisor with the status API in front of it on 127.0.0.1 and a free port.
 * The API reloads from the harness's own vigil.conf, so a test rewrites that file to reload.
 */
final class ApiFixture implements AutoCloseable {
  final Harness h;
  final ApiServer api;
  final ApiClient client;

  ApiFixture(Path dir, String services) throws Exception {
    this(dir, services, Optional.empty());
  }

  ApiFixture(Path dir, String services, Optional<Path> tokenFile) throws Exception {
    this.h = new Harness(dir, services);
    ApiServer started;
    try {
      ApiSpec spec = new ApiSpec(new ListenAddress("127.0.0.1", 0), tokenFile,
          new ListenAddress("127.0.0.1", 0));
      started = ApiServer.start(spec, h.supervisor,
          () -> ConfigLoader.load(dir.resolve("vigil.conf"), Harness.runtime()),
          h.supervisor::ping);
    } catch (Exception | Error e) {
      h.close();
      throw e;
    }
    this.api = started;
    this.client = new ApiClient(api.port());
  }

  @Override
  public void close() throws Exception {
    try {
      api.close();
    } finally {
      h.close();
    }
  }
}

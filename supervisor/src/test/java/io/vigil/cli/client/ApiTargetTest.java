package io.vigil.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.config.ApiSpec;
import io.vigil.config.ListenAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTargetTest {
  @TempDir Path dir;

  private static final ListenAddress METRICS = new ListenAddress("127.0.0.1", 9651);

  private static Supplier<Optional<ApiSpec>> config(String host, int port, Path tokenFile) {
    return () -> Optional.of(new ApiSpec(new ListenAddress(host, port),
        Optional.ofNullable(tokenFile), METRICS));
  }

  private static final Supplier<Optional<ApiSpec>> NO_CONFIG = Optional::empty;

  @Test
  void addressPrecedenceFlagThenConfigThenDefault() throws Exception {
    assertEquals(URI.create("http://h:1"), ApiTarget.resolve(Optional.of(URI.create("http://h:1/")),
        Optional.empty(), Map.of(), config("127.0.0.1", 7000, null)).base());
    assertEquals(URI.create("http://127.0.0.1:7000"), ApiTarget.resolve(Optional.empty(),
        Optional.empty(), Map.of(), config("127.0.0.1", 7000, null)).base());
    assertEquals(URI.create("http://127.0.0.1:9650"), ApiTarget.resolve(Optional.empty(),
        Optional.empty(), Map.of(), NO_CONFIG).base());
  }

  @Test
  void tokenPrecedenceFlagThenEnvironmentThenConfig() throws Exception {
    Path flag = Files.writeString(dir.resolve("flag"), " from-flag\n");
    Path fromConfig = Files.writeString(dir.resolve("config"), "from-config\n");
    Map<String, String> env = Map.of("VIGIL_TOKEN", "from-env");
    Supplier<Optional<ApiSpec>> config = config("127.0.0.1", 9650, fromConfig);
    assertEquals(Optional.of("from-flag"),
        ApiTarget.resolve(Optional.empty(), Optional.of(flag), env, config).token());
    assertEquals(Optional.of("from-env"),
        ApiTarget.resolve(Optional.empty(), Optional.empty(), env, config).token());
    assertEquals(Optional.of("from-config"),
        ApiTarget.resolve(Optional.empty(), Optional.empty(), Map.of("VIGIL_TOKEN", " "),
            config).token());
    assertEquals(Optional.empty(), ApiTarget.resolve(Optional.empty(), Optional.empty(),
        Map.of(), config("127.0.0.1", 9650, dir.resolve("unreadable"))).token());
  }

  @Test
  void theConfigurationIsNotReadWhenFlagsSayEverything() throws Exception {
    Path flag = Files.writeString(dir.resolve("flag"), "t");
    AtomicInteger reads = new AtomicInteger();
    ApiTarget.resolve(Optional.of(URI.create("http://h:1")), Optional.of(flag), Map.of(), () -> {
      reads.incrementAndGet();
      return Optional.empty();
    });
    assertEquals(0, reads.get());
  }

  @Test
  void aGivenTokenFileMustBeReadableAndNotEmpty() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertEquals("token file " + empty + " is empty", assertThrows(ApiTarget.BadTokenFile.class,
        () -> ApiTarget.resolve(Optional.empty(), Optional.of(empty), Map.of(), NO_CONFIG))
        .getMessage());
  }

  @Test
  void wildcardAndIpv6ListenAddressesBecomeUrls() {
    assertEquals("http://127.0.0.1:9650", ApiTarget.url(new ListenAddress("0.0.0.0", 9650))
        .toString());
    assertEquals("http://[::1]:9650", ApiTarget.url(new ListenAddress("::", 9650)).toString());
    assertEquals("http://[::1]:9650", ApiTarget.url(new ListenAddress("::1", 9650)).toString());
    assertEquals("http://[::1]:9650", ApiTarget.url(new ListenAddress("[::1]", 9650)).toString());
    assertEquals("http://localhost:1", ApiTarget.url(new ListenAddress("localhost", 1))
        .toString());
  }
}

package io.vigil.probe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.vigil.probe.CheckSpec;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class HttpCheckRequestTest {

  @Test
  void getWithHostUserAgentAndKeepAlive() {
    // Given
    CheckSpec.Http spec =
        new CheckSpec.Http("/healthz?deep=1", OptionalInt.empty(), Map.of(), true);

    // When
    FullHttpRequest request = HttpCheck.request(spec, "127.0.0.1", 8080);

    // Then
    assertEquals(HttpMethod.GET, request.method());
    assertEquals(HttpVersion.HTTP_1_1, request.protocolVersion());
    assertEquals("/healthz?deep=1", request.uri());
    assertEquals("127.0.0.1:8080", request.headers().get("Host"));
    assertEquals("vigil-probe/1", request.headers().get("User-Agent"));
    assertEquals("keep-alive", request.headers().get("Connection"));
  }

  @Test
  void withoutKeepAliveTheServerIsAskedToClose() {
    // Given
    CheckSpec.Http spec = new CheckSpec.Http("/healthz", OptionalInt.empty(), Map.of(), false);

    // When
    FullHttpRequest request = HttpCheck.request(spec, "127.0.0.1", 8080);

    // Then
    assertEquals("close", request.headers().get("Connection"));
  }

  @Test
  void configuredHeadersAreAddedAndMayOverrideTheDefaults() {
    // Given
    CheckSpec.Http spec =
        new CheckSpec.Http(
            "/", OptionalInt.empty(), Map.of("X-Probe", "liveness", "Host", "app.internal"), true);

    // When
    FullHttpRequest request = HttpCheck.request(spec, "127.0.0.1", 8080);

    // Then
    assertEquals("liveness", request.headers().get("X-Probe"));
    assertEquals("app.internal", request.headers().get("Host"));
  }

  @Test
  void emptyPathMeansRootAndIpv6HostsAreBracketed() {
    // Given
    CheckSpec.Http spec = new CheckSpec.Http("", OptionalInt.empty(), Map.of(), true);

    // When
    FullHttpRequest request = HttpCheck.request(spec, "::1", 9000);

    // Then
    assertEquals("/", request.uri());
    assertEquals("[::1]:9000", request.headers().get("Host"));
  }
}

package io.vigil.probe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.vigil.probe.CheckSpec;
import io.vigil.probe.HttpSyntax;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The bytes an HTTP check sends, encoded once per target ({@link EncodedRequest}). */
class HttpCheckRequestTest {

  @ParameterizedTest(name = "keep-alive {0}")
  @CsvSource({"true, keep-alive", "false, close"})
  void getWithHostUserAgentAndConnection(boolean keepAlive, String connection) {
    // When
    Encoded request = encode(spec("/healthz?deep=1", Map.of(), keepAlive), "127.0.0.1", 8080);

    // Then: the bytes HttpClientCodec sent for the same request
    assertEquals("GET /healthz?deep=1 HTTP/1.1\r\n"
        + "host: 127.0.0.1:8080\r\n"
        + "user-agent: vigil-probe/1\r\n"
        + "connection: " + connection + "\r\n"
        + "\r\n", request.text());
    assertEquals(keepAlive, request.keepAlive());
    assertTrue(request.direct(), "a direct buffer: the socket write needs no copy");
  }

  @Test
  void configuredHeadersAreAddedAndOverrideTheDefaultsWhateverTheirCase() {
    // Given
    Map<String, String> headers =
        Map.of("X-Probe", "liveness", "HOST", "app.internal", "user-Agent", "mine");

    // When
    Encoded request = encode(spec("/", headers, true), "127.0.0.1", 8080);

    // Then: in the order of a Map.of, which varies from run to run
    assertEquals(
        Set.of("X-Probe: liveness", "HOST: app.internal", "user-Agent: mine",
            "connection: keep-alive"),
        Set.copyOf(request.headerLines()), request.text());
    assertEquals(4, request.headerLines().size(), "no default left beside its override");
  }

  @Test
  void emptyPathMeansRootAndIpv6HostsAreBracketed() {
    // When
    Encoded request = encode(spec("", Map.of(), true), "::1", 9000);

    // Then
    assertTrue(request.text().startsWith("GET / HTTP/1.1\r\nhost: [::1]:9000\r\n"),
        request.text());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"close", "Close", "keep-alive, close"})
  void aConfiguredConnectionCloseIsSentAndTheConnectionNotKept(String connection) {
    // When
    Encoded request = encode(spec("/", Map.of("Connection", connection), true), "127.0.0.1", 1);

    // Then
    assertTrue(request.headerLines().contains("Connection: " + connection), request.text());
    assertFalse(request.keepAlive());
  }

  @Test
  void aConfiguredKeepAliveKeepsTheConnection() {
    // When
    Encoded request =
        encode(spec("/", Map.of("connection", "keep-alive"), true), "127.0.0.1", 1);

    // Then
    assertTrue(request.keepAlive());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\rb"})
  void aHeaderValueWithALineBreakIsRefusedNamingTheHeader(String value) {
    // Given
    CheckSpec.Http spec = spec("/", Map.of("X-Probe", value), true);

    // When
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> EncodedRequest.encode(spec, "127.0.0.1", 1));

    // Then
    assertTrue(refused.getMessage().startsWith("HTTP check header 'X-Probe' cannot be sent: "),
        refused.getMessage());
    assertFalse(refused.getMessage().contains("\n") || refused.getMessage().contains("\r"),
        "one line in the log");
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "X-Probe                | liveness                | true",
      "X-Probe                | ''                      | true",
      "X-Probe                | 'a\tb'                  | true",
      "X-Probe                | Bearer abc==            | true",
      "'X-Probe~!#$%&*+.^_`|' | 1                       | true",
      "X-Probe                | 'a\r\nX-Injected: 1'    | false",
      "X-Probe                | ' leading space'        | false",
      "X-Probe                | '\tleading tab'         | false",
      "X-Probe                | 'a\u0001b'              | false",
      "X-Probe                | 'a\u007fb'              | false",
      "X Probe                | 1                       | false",
      "X-Probe:               | 1                       | false",
      "X-(Probe)              | 1                       | false"})
  void theConfigurationCheckAcceptsExactlyTheHeadersARequestCanCarry(String name, String value,
      boolean sendable) {
    CheckSpec.Http spec = spec("/", Map.of(name, value), true);
    // vigil check's verdict
    assertEquals(sendable, HttpSyntax.isHeaderName(name) && HttpSyntax.isHeaderValue(value));
    // and Netty's, when the request is encoded on the probe loop
    if (sendable) {
      EncodedRequest.encode(spec, "127.0.0.1", 1).release();
    } else {
      assertThrows(IllegalArgumentException.class,
          () -> EncodedRequest.encode(spec, "127.0.0.1", 1));
    }
  }

  @Test
  void aValueBeyondAsciiIsRefusedByTheConfigurationCheck() {
    // Netty would send it, but one byte per character: as "caf?"
    assertFalse(HttpSyntax.isHeaderValue("caf\u00e9"));
  }

  // ---- fixtures ------------------------------------------------------------------------------

  private static CheckSpec.Http spec(String path, Map<String, String> headers, boolean keepAlive) {
    return new CheckSpec.Http(path, OptionalInt.empty(), headers, keepAlive);
  }

  /** What was encoded, read out of the buffer, which is released. */
  private static Encoded encode(CheckSpec.Http spec, String host, int port) {
    EncodedRequest request = EncodedRequest.encode(spec, host, port);
    ByteBuf bytes = request.retainedDuplicate();
    try {
      return new Encoded(request.toString(), request.keepAlive(), bytes.isDirect());
    } finally {
      bytes.release();
      request.release();
    }
  }

  private record Encoded(String text, boolean keepAlive, boolean direct) {
    /** The header lines, without the request line and the empty line that ends the head. */
    List<String> headerLines() {
      assertTrue(text.endsWith("\r\n\r\n"), text);
      List<String> lines = Arrays.asList(text.split("\r\n"));
      return lines.subList(1, lines.size());
    }
  }
}

package io.vigil.probe.check;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.vigil.probe.CheckSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The request of an HTTP check, encoded once per target and sent by every check of it: the bytes
 * sit in one direct buffer, and each send writes a {@link #retainedDuplicate()} of it, so they
 * are never copied or encoded again.
 *
 * <p>The request is {@code GET path HTTP/1.1} with Host, User-Agent and Connection, then the
 * configured headers, which replace a default of the same name whatever its case, as in the
 * kubelet. A configured {@code Connection: close} makes the server close, and the check then
 * does not keep the connection either ({@link #keepAlive()}).
 *
 * <p>Reference-counted: its creator holds the first reference, and whoever else keeps it beyond
 * one call retains it and releases it when done. Used on the probe event loop only, where
 * {@link EncodedRequests} keeps it.
 */
final class EncodedRequest {
  private static final String USER_AGENT = "vigil-probe/1";

  private final ByteBuf bytes;
  private final boolean keepAlive;

  private EncodedRequest(ByteBuf bytes, boolean keepAlive) {
    this.bytes = bytes;
    this.keepAlive = keepAlive;
  }

  /**
   * The request for {@code spec} to {@code host} and {@code port}.
   *
   * @throws IllegalArgumentException when a configured header cannot be sent (a CR or LF in its
   *     value, a space in its name): a configuration the loader should have refused
   */
  static EncodedRequest encode(CheckSpec.Http spec, String host, int port) {
    HttpHeaders headers = headers(spec, host, port);
    // RFC 9112 section 9.6: a configured "close" ends the connection from our side too.
    boolean keepAlive = spec.keepAlive()
        && !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
    return new EncodedRequest(bytes(spec.path().isEmpty() ? "/" : spec.path(), headers), keepAlive);
  }

  /** Whether the check may keep the connection for the next one, if the server does too. */
  boolean keepAlive() {
    return keepAlive;
  }

  /** The bytes to write, with their own indexes and a reference that the write releases. */
  ByteBuf retainedDuplicate() {
    return bytes.retainedDuplicate();
  }

  EncodedRequest retain() {
    bytes.retain();
    return this;
  }

  void release() {
    bytes.release();
  }

  int refCnt() {
    return bytes.refCnt();
  }

  /** The request as text, for tests and logs. */
  @Override
  public String toString() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /**
   * Validated on the way in (Netty's rules for names and values), so the bytes are sound. The
   * configuration check ({@code io.vigil.probe.HttpSyntax}) refuses at least as much, so this
   * only fails for a spec that did not come from a checked file.
   */
  private static HttpHeaders headers(CheckSpec.Http spec, String host, int port) {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.HOST, hostHeader(host, port));
    headers.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
    // HTTP/1.1 keeps connections alive by default (RFC 9112 section 9.3); saying so also asks
    // HTTP/1.0 servers to. Without keep-alive, "close" as the kubelet's prober sends it
    // (pkg/probe/http: DisableKeepAlives).
    headers.set(HttpHeaderNames.CONNECTION,
        spec.keepAlive() ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    for (Map.Entry<String, String> header : spec.headers().entrySet()) {
      try {
        headers.set(header.getKey(), header.getValue());
      } catch (IllegalArgumentException invalid) {
        throw new IllegalArgumentException("HTTP check header '" + printable(header.getKey())
            + "' cannot be sent: " + printable(invalid.getMessage()), invalid);
      }
    }
    return headers;
  }

  private static String hostHeader(String host, int port) {
    // RFC 7230 section 5.4: an IPv6 literal in Host is bracketed.
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /**
   * The request line and headers in the charsets Netty's HttpRequestEncoder uses (the path in
   * UTF-8, header text one byte per char), so the bytes are the ones HttpClientCodec sent.
   */
  private static ByteBuf bytes(String path, HttpHeaders headers) {
    ByteBuf bytes = Unpooled.directBuffer(256);
    bytes.writeCharSequence("GET ", StandardCharsets.US_ASCII);
    bytes.writeCharSequence(path, StandardCharsets.UTF_8);
    bytes.writeCharSequence(" HTTP/1.1\r\n", StandardCharsets.US_ASCII);
    for (Map.Entry<String, String> header : headers) {
      bytes.writeCharSequence(header.getKey(), StandardCharsets.US_ASCII);
      bytes.writeCharSequence(": ", StandardCharsets.US_ASCII);
      bytes.writeCharSequence(header.getValue(), StandardCharsets.US_ASCII);
      bytes.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
    }
    bytes.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
    return bytes;
  }

  /** A CR or LF from a bad header shown as {@code \r} or {@code \n}, not as a line break. */
  private static String printable(String text) {
    return String.valueOf(text).replace("\r", "\\r").replace("\n", "\\n");
  }
}

package io.vigil.lb.netty;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpUtil;
import java.util.List;

/**
 * Headers that belong to one connection, not to the message (RFC 9110 §7.6.1): Connection and
 * every header it names, Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding and
 * Upgrade. A proxy must not forward them. Framing is redone by the codec on the other side: a
 * chunked message is sent chunked again, so that header is set back after the clean-up.
 */
final class HopByHop {
  private static final List<CharSequence> ALWAYS = List.of(HttpHeaderNames.CONNECTION,
      HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE);

  private HopByHop() {}

  /** Removes the hop-by-hop headers of {@code message}, keeping chunked framing if it had it. */
  static void strip(HttpMessage message) {
    HttpHeaders headers = message.headers();
    boolean chunked = HttpUtil.isTransferEncodingChunked(message);
    for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : connection.split(",")) {
        if (!token.isBlank()) {
          headers.remove(token.strip());
        }
      }
    }
    ALWAYS.forEach(headers::remove);
    if (chunked) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
  }
}

package io.vigil.lb.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class HopByHopTest {

  private static HttpRequest request(String... headers) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    for (int i = 0; i < headers.length; i += 2) {
      r.headers().add(headers[i], headers[i + 1]);
    }
    return r;
  }

  @Test
  void rfc9110HopByHopHeadersAndTheOnesConnectionNamesAreRemoved() {
    // Given a request with every kind of hop-by-hop header and two end-to-end ones
    HttpRequest r = request("Connection", "keep-alive, X-A", "Connection", "x-b", "X-A", "1",
        "X-B", "2", "Keep-Alive", "timeout=5", "Proxy-Connection", "keep-alive", "TE", "trailers",
        "Trailer", "X-T", "Upgrade", "h2c", "Host", "h", "X-Kept", "3");

    // When it is stripped
    HopByHop.strip(r);

    // Then only the end-to-end headers are left
    assertEquals(List.of("Host", "X-Kept"), r.headers().names().stream().sorted().toList());
  }

  @Test
  void chunkedFramingIsKeptForTheCodecOnTheOtherSide() {
    HttpRequest chunked = request("Transfer-Encoding", "chunked", "Connection", "close");
    HopByHop.strip(chunked);
    assertTrue(HttpUtil.isTransferEncodingChunked(chunked));
    assertFalse(chunked.headers().contains("Connection"));

    HttpRequest plain = request("Content-Length", "3");
    HopByHop.strip(plain);
    assertFalse(HttpUtil.isTransferEncodingChunked(plain));
    assertEquals("3", plain.headers().get("Content-Length"));
  }
}

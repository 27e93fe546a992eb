package io.vigil.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client connection at the byte level, for what java.net.http cannot do: pipelining, malformed
 * requests, slow heads. Reads responses framed by Content-Length, chunks, or the close.
 */
final class RawHttp implements AutoCloseable {
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  RawHttp send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  static String get(String path, String... headers) {
    StringBuilder s = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: test\r\n");
    for (String h : headers) {
      s.append(h).append("\r\n");
    }
    return s.append("\r\n").toString();
  }

  Response read() throws IOException {
    return read(true);
  }

  /** The answer to a HEAD request: headers that describe a body that is not sent. */
  Response readHead() throws IOException {
    return read(false);
  }

  private Response read(boolean withBody) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("connection closed before a response");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); line != null && !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (!withBody) {
      return new Response(status, headers, "");
    }
    if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line().trim(), 16); size > 0;
          size = Integer.parseInt(line().trim(), 16)) {
        body.write(in.readNBytes(size));
        line();
      }
      line();
    } else if (status >= 200 && status != 204 && status != 304) {
      body.write(in.readAllBytes());
    }
    return new Response(status, headers, body.toString(StandardCharsets.ISO_8859_1));
  }

  /** Everything the server sends until it closes (or resets) the connection. */
  byte[] socketBytesUntilClosed() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        all.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // a reset ends it too
    }
    return all.toByteArray();
  }

  /** True if the server closed the connection (end of stream, or a reset). */
  boolean closedByServer() {
    try {
      return in.read() == -1;
    } catch (IOException e) {
      return true;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(c);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

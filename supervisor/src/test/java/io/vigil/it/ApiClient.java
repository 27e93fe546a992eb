package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A small HTTP client for the status API. Keeps every response body so a test can check, at the
 * end, that none of them leaked an exception or a stack trace.
 */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Reply(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    String contentType() {
      return header("content-type");
    }

    @Override
    public String toString() {
      return status + " " + contentType() + " " + body;
    }
  }

  final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  final String base;
  private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());

  ApiClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  URI uri(String pathAndQuery) {
    return URI.create(base + pathAndQuery);
  }

  Reply get(String path, String... headers) throws Exception {
    return send(request(path, headers).GET());
  }

  Reply post(String path, String... headers) throws Exception {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.noBody()));
  }

  HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  Reply send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    bodies.add(r.body());
    return new Reply(r.statusCode(), r.headers(), r.body());
  }

  /**
   * Sends bytes the JDK's client would refuse to (a malformed URI) and returns the whole answer,
   * status line, headers and body, as text. The request must ask for Connection: close.
   */
  String raw(String request) throws IOException {
    String port = base.substring(base.lastIndexOf(':') + 1);
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", Integer.parseInt(port))) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      String answer = new String(s.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      bodies.add(answer);
      return answer;
    }
  }

  /** Called after each test: no answer may carry a Java exception or stack trace. */
  void assertNothingLeaked() {
    synchronized (bodies) {
      for (String body : bodies) {
        assertFalse(body.contains("Exception"), body);
        assertFalse(body.contains("\tat "), body);
      }
    }
  }
}

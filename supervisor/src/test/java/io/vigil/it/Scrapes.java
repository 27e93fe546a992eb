package io.vigil.it;

import io.vigil.metrics.Exposition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** GET /metrics from a metrics endpoint on 127.0.0.1, and read values from it. */
final class Scrapes {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private Scrapes() {}

  /** The body of GET /metrics; fails unless the answer is 200. */
  static String get(int port) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET /metrics: " + response.statusCode() + "\n" + response.body());
    }
    return response.body();
  }

  /** A value from a scrape, or empty if it is absent or the endpoint does not answer. */
  static Optional<Double> value(int port, String name, String... labels) {
    try {
      return Exposition.value(get(port), name, labels);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}

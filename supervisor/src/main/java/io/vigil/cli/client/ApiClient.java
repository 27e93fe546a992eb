package io.vigil.cli.client;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * HTTP to Vigil's API with the JDK client: the bearer token on every request, JSON answers read
 * with Jackson, and every failure turned into {@link ApiProblem} (Vigil said no: exit 1) or
 * {@link Unreachable} (no answer: exit 3). One instance per command run; not shared.
 */
final class ApiClient {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ApiTarget target;
  private final HttpClient http;
  // jackson-jr ignores unknown fields: the API may add fields without breaking older clients.
  private static final JSON JSON_READER = JSON.std;

  ApiClient(ApiTarget target) {
    this.target = target;
    // HTTP/1.1 only: no h2c upgrade attempt, and the event stream is plain chunked text.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT).build();
  }

  /** GET {@code path} and read the JSON answer as {@code type}. */
  <T> T get(String path, Class<T> type) throws ApiProblem, Unreachable, InterruptedException {
    return read(path, send(request(path, "application/json").GET()), type);
  }

  /** GET {@code path} and return the body as it came (JSON for --json, text for logs). */
  String getText(String path, String accept)
      throws ApiProblem, Unreachable, InterruptedException {
    return send(request(path, accept).GET()).body();
  }

  /** POST with no body and read the JSON answer as {@code type}. */
  <T> T post(String path, Class<T> type) throws ApiProblem, Unreachable, InterruptedException {
    return read(path, sendPost(path), type);
  }

  /** POST with no body where only the status matters (202 Accepted); the body is not read. */
  void post(String path) throws ApiProblem, Unreachable, InterruptedException {
    sendPost(path);
  }

  /**
   * Starts a GET of a never-ending text body (server-sent events). It connects in the background
   * while the caller does other work; {@link LineStream#lines()} waits for the answer. No request
   * timeout here: the stream is quiet while nothing happens.
   */
  LineStream stream(String path) {
    HttpRequest request = builder(path, "text/event-stream").GET().build();
    return new LineStream(http.sendAsync(request, BodyHandlers.ofLines()));
  }

  /**
   * A streamed body, line by line; close to drop the connection. One thread reads; {@link
   * #close()} may come from another (Ctrl-C) and makes a blocked read throw.
   */
  final class LineStream implements AutoCloseable {
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile boolean closed;

    private LineStream(CompletableFuture<HttpResponse<Stream<String>>> response) {
      this.response = response;
    }

    /**
     * Waits for the answer and returns its lines as they arrive. Reading them throws {@link
     * UncheckedIOException} if the connection drops or the stream is closed. An interrupt does
     * not stop a blocked read (JDK 17's HttpResponseInputStream retries on it): close instead.
     *
     * @throws InterruptedException also when the stream was closed before the answer came
     */
    Iterator<String> lines() throws ApiProblem, Unreachable, InterruptedException {
      HttpResponse<Stream<String>> answer = await();
      if (closed) {
        throw new InterruptedException("closed before reading");
      }
      if (answer.statusCode() >= 400) {
        String text;
        try (Stream<String> body = answer.body()) {
          text = body.collect(Collectors.joining("\n"));
        } catch (UncheckedIOException e) {
          throw unreachable(e.getCause());
        }
        throw ApiProblem.of(answer.statusCode(), contentType(answer), text, JSON_READER);
      }
      return answer.body().iterator();
    }

    private HttpResponse<Stream<String>> await() throws Unreachable, InterruptedException {
      try {
        return response.get();
      } catch (CancellationException e) {
        throw new InterruptedException("closed before the answer came");
      } catch (ExecutionException e) {
        // The JDK's own future fails with the cancellation rather than throwing it.
        if (closed || e.getCause() instanceof CancellationException) {
          throw new InterruptedException("closed before the answer came");
        }
        if (e.getCause() instanceof IOException io) {
          throw unreachable(io);
        }
        throw new IllegalStateException("HTTP client failed: " + e.getCause(), e.getCause());
      }
    }

    /** Cancels the request, or closes the body whenever it is there (now, or once it comes). */
    @Override
    public void close() {
      closed = true;
      response.cancel(true);
      response.thenAccept(answer -> answer.body().close());
    }
  }

  /** JSON from {@code source} (an answer's URL, "the event stream") as {@code type}. */
  static <T> T parse(String source, int status, String json, Class<T> type) throws ApiProblem {
    try {
      T value = JSON_READER.beanFrom(type, json);
      if (value == null) { // the body was the JSON literal null
        throw new IOException("null instead of an object");
      }
      return value;
    } catch (IOException e) {
      throw ApiProblem.unreadable(source, status, e);
    }
  }

  Unreachable unreachable(IOException e) {
    return Unreachable.of(target.base(), e, CONNECT_TIMEOUT, TIMEOUT);
  }

  private HttpRequest.Builder request(String path, String accept) {
    return builder(path, accept).timeout(TIMEOUT);
  }

  private HttpRequest.Builder builder(String path, String accept) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.base() + path))
        .header("Accept", accept);
    target.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private HttpResponse<String> sendPost(String path)
      throws ApiProblem, Unreachable, InterruptedException {
    return send(request(path, "application/json").POST(HttpRequest.BodyPublishers.noBody()));
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws ApiProblem, Unreachable, InterruptedException {
    HttpResponse<String> response = exchange(request.build(), BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw ApiProblem.of(response.statusCode(), contentType(response), response.body(),
          JSON_READER);
    }
    return response;
  }

  private <T> HttpResponse<T> exchange(HttpRequest request, BodyHandler<T> handler)
      throws Unreachable, InterruptedException {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  private <T> T read(String path, HttpResponse<String> response, Class<T> type)
      throws ApiProblem {
    return parse(target.base() + path, response.statusCode(), response.body(), type);
  }

  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("");
  }
}

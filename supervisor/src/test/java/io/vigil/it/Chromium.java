package io.vigil.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket from java.net.http), without
 * Node or Playwright. Starts in its own process group with a fresh profile; {@link #close} kills
 * the whole group and removes the profile.
 */
final class Chromium implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path profile;
  private final HttpClient http = HttpClient.newHttpClient();
  private WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private Chromium(Process process, Path profile) {
    this.process = process;
    this.profile = profile;
  }

  /** Starts Chromium on {@code url} and connects to that page's DevTools endpoint. */
  static Chromium open(String url, Duration timeout) throws Exception {
    Path profile = Files.createTempDirectory("vigil-chromium-");
    List<String> cmd = new ArrayList<>(List.of(
        // setsid: Chromium leads a process group of its own, so close() can kill every helper
        "setsid", BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0", url));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(profile.resolve("chromium.log").toFile()).start();
    Chromium chromium = new Chromium(p, profile);
    try {
      chromium.connect(timeout);
      return chromium;
    } catch (Exception | Error e) {
      chromium.close();
      throw e;
    }
  }

  private void connect(Duration timeout) throws Exception {
    Path portFile = profile.resolve("DevToolsActivePort");
    if (!Host.eventually(timeout, () -> readable(portFile))) {
      throw new AssertionError("Chromium wrote no DevToolsActivePort; its output:\n" + log());
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    String[] page = new String[1];
    Host.eventually(timeout, () -> (page[0] = pageSocketUrl(port)) != null);
    if (page[0] == null) {
      throw new AssertionError("no page target in Chromium; its output:\n" + log());
    }
    socket = http.newWebSocketBuilder().buildAsync(URI.create(page[0]), new Listener())
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static boolean readable(Path file) {
    try {
      return Files.exists(file) && Files.readAllLines(file).size() >= 2;
    } catch (IOException e) {
      return false;
    }
  }

  private String pageSocketUrl(int port) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
          HttpResponse.BodyHandlers.ofString());
      for (JsonNode target : JSON.readTree(r.body())) {
        if (target.path("type").asText().equals("page")) {
          return target.path("webSocketDebuggerUrl").asText();
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Evaluates a JavaScript expression in the page and returns its value as a string. */
  String eval(String expression) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate");
    msg.putObject("params").put("expression", expression).put("returnByValue", true);
    socket.sendText(JSON.writeValueAsString(msg), true).get(5, TimeUnit.SECONDS);
    JsonNode result = reply.get(10, TimeUnit.SECONDS);
    if (result.has("error") || result.path("result").has("exceptionDetails")) {
      throw new AssertionError("evaluating " + expression + " failed: " + result);
    }
    return result.path("result").path("result").path("value").asText();
  }

  String log() {
    try {
      return Files.readString(profile.resolve("chromium.log"));
    } catch (IOException e) {
      return "(no output)";
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.abort();
    }
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    Host.killGroup(process.pid());
    all.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteProfile();
  }

  private void deleteProfile() {
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }

  /** Collects fragmented text frames and completes the call with the matching id. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String message = text.toString();
        text.setLength(0);
        try {
          JsonNode node = JSON.readTree(message);
          if (node.has("id")) {
            CompletableFuture<JsonNode> reply = pending.remove(node.get("id").asInt());
            if (reply != null) {
              reply.complete(node);
            }
          }
        } catch (IOException e) {
          // not JSON: not a reply to us
        }
      }
      ws.request(1);
      return null;
    }
  }
}

package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vigil from the jar supervising service {@code web}: two demo backends behind its load balancer
 * (3 consecutive 5xx eject for the base ejection time, 3 s unless given), API and load balancer
 * on ports the kernel chooses. Started, both instances READY and in the load balancer's rotation
 * when constructed; {@link #close} stops Vigil and with it the instances.
 */
final class BalancedVigil implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern LB =
      Pattern.compile("load balancer for web on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern API = Pattern.compile("status on http://127\\.0\\.0\\.1:(\\d+)/");

  final VigilProcess vigil;
  /** The first instance's port; web/1 listens on the next one. */
  final int instancePort;
  final int lbPort;
  final ApiClient api;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  BalancedVigil(Path dir) throws Exception {
    this(dir, Duration.ofSeconds(3));
  }

  /** {@code baseEjection}: the outlier detector's base ejection time, whole seconds. */
  BalancedVigil(Path dir, Duration baseEjection) throws Exception {
    if (baseEjection.toMillis() % 1000 != 0 || baseEjection.isNegative() || baseEjection.isZero()) {
      throw new IllegalArgumentException("base ejection time in whole seconds: " + baseEjection);
    }
    instancePort = Host.freePortPair(); // web/1 listens on instancePort + 1: both must be free
    Path conf = dir.resolve("vigil.conf");
    Files.writeString(conf, "vigil { state-dir = state, api.listen = \"127.0.0.1:0\","
        + " metrics.listen = \"127.0.0.1:0\" }\nservices {\n web {\n"
        + "  command = " + Harness.demoCommand() + "\n  instances = 2\n  port = " + instancePort
        + "\n  stop { grace-period = 1s }\n"
        + "  probes { readiness { http { path = /readyz }, period = 500ms, timeout = 300ms } }\n"
        + "  load-balancer { listen = \"127.0.0.1:0\","
        + " outlier { consecutive-5xx = 3, base-ejection-time = " + baseEjection.toSeconds()
        + "s } }\n"
        + " }\n}\n");
    vigil = VigilProcess.start(dir, "vigil.log", "run", "--config", conf.toString());
    try {
      assertTrue(Host.eventually(WAIT, () -> !vigil.process.isAlive()
          || LB.matcher(vigil.log()).find() && API.matcher(vigil.log()).find())
          && vigil.process.isAlive(), vigil.log());
      lbPort = port(LB);
      ApiClient client = new ApiClient(port(API));
      api = client;
      // Both READY and in rotation now, as the API says: a count of "-> READY" in the log could
      // be met by one instance whose readiness flapped while the other is not ready yet
      assertTrue(Host.eventually(WAIT, () -> !vigil.process.isAlive()
          || readyInRotation(client, 2)) && vigil.process.isAlive(), vigil.log());
    } catch (Throwable notStarted) {
      close(); // no try-with-resources holds us yet: stop Vigil and its instances here
      throw notStarted;
    }
  }

  /** Service web has {@code instances} instances, all READY and in the load balancer's list. */
  static boolean readyInRotation(ApiClient api, int instances) {
    try {
      return readyInRotation(api.get("/v1/services/web").json(), instances);
    } catch (Exception notYet) {
      return false;
    }
  }

  /** The same, of one answer of {@code GET /v1/services/web}. */
  static boolean readyInRotation(JsonNode web, int instances) {
    if (web.path("ready").asInt() != instances || web.path("instances").size() != instances) {
      return false;
    }
    for (JsonNode instance : web.path("instances")) {
      if (!instance.path("state").asText().equals("READY")
          || !instance.path("loadBalancer").path("inRotation").asBoolean()) {
        return false;
      }
    }
    return true;
  }

  private int port(Pattern pattern) {
    Matcher m = pattern.matcher(vigil.log());
    assertTrue(m.find(), vigil.log());
    return Integer.parseInt(m.group(1));
  }

  /** A GET through the load balancer; its status. */
  int getThroughLb() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lbPort + "/"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Sets the share of web/{@code index}'s answers that are 500, on the instance itself. */
  void errors(int index, double rate) throws Exception {
    int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + (instancePort + index) + "/fault/errors?rate=" + rate))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
    assertTrue(status == 200, "fault injection answered " + status);
  }

  @Override
  public void close() throws Exception {
    vigil.process.destroy();
    try {
      assertTrue(vigil.process.waitFor(20, TimeUnit.SECONDS), "vigil did not stop");
    } finally {
      vigil.close();
    }
  }
}

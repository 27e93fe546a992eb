package io.vigil.cli.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The endpoints of Vigil's API that the commands use, one method each, with the JSON contract's
 * shapes as records. Not thread-safe (one per command run).
 */
final class VigilApi {
  private final ApiClient client;

  VigilApi(ApiClient client) {
    this.client = client;
  }

  private record ServiceList(List<ServiceStatus> services) {}

  private record EventList(List<Event> events) {}

  List<ServiceStatus> services() throws ApiProblem, Unreachable, InterruptedException {
    List<ServiceStatus> services = client.get("/v1/services", ServiceList.class).services();
    return services == null ? List.of() : services;
  }

  ServiceStatus service(String name) throws ApiProblem, Unreachable, InterruptedException {
    return client.get(servicePath(name), ServiceStatus.class);
  }

  /** The answer of GET /v1/services or /v1/services/{name} as it came, for --json. */
  String servicesJson(String nameOrNull) throws ApiProblem, Unreachable, InterruptedException {
    return client.getText(nameOrNull == null ? "/v1/services" : servicePath(nameOrNull),
        "application/json");
  }

  /** POST /v1/services/{svc}/{action} for restart, stop or start; Vigil answers 202. */
  void serviceAction(String service, String action)
      throws ApiProblem, Unreachable, InterruptedException {
    client.post(servicePath(service) + "/" + action);
  }

  void restartInstance(String service, int id)
      throws ApiProblem, Unreachable, InterruptedException {
    client.post(servicePath(service) + "/instances/" + id + "/restart");
  }

  ReloadDiff reload() throws ApiProblem, Unreachable, InterruptedException {
    return client.post("/v1/reload", ReloadDiff.class);
  }

  /** The last {@code tail} lines of an instance's stdout or stderr, as text. */
  String logs(String service, Integer instance, int tail, boolean stderr)
      throws ApiProblem, Unreachable, InterruptedException {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("instance", instance);
    query.put("tail", tail);
    query.put("stream", stderr ? "stderr" : "stdout");
    return client.getText(servicePath(service) + "/logs" + query(query), "text/plain");
  }

  /** The latest {@code limit} events, oldest first, of one service or (null) of all. */
  List<Event> events(String service, int limit)
      throws ApiProblem, Unreachable, InterruptedException {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("service", service);
    query.put("limit", limit);
    List<Event> events = client.get("/v1/events" + query(query), EventList.class).events();
    return events == null ? List.of() : events;
  }

  /** Starts connecting to the event stream (SSE); see {@link ApiClient#stream}. */
  ApiClient.LineStream eventStream() {
    return client.stream("/v1/events/stream");
  }

  ApiClient client() {
    return client;
  }

  private static String servicePath(String name) {
    return "/v1/services/" + encode(name);
  }

  /** {@code ?a=1&b=2}, leaving out null values; empty when nothing is left. */
  static String query(Map<String, Object> parameters) {
    String joined = parameters.entrySet().stream().filter(e -> e.getValue() != null)
        .map(e -> encode(e.getKey()) + "=" + encode(String.valueOf(e.getValue())))
        .collect(Collectors.joining("&"));
    return joined.isEmpty() ? "" : "?" + joined;
  }

  /** Percent-encodes a path segment or query value (URLEncoder's "+" is a space only in forms). */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

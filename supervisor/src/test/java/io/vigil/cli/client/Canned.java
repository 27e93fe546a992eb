package io.vigil.cli.client;

/** JSON bodies shaped exactly as the API contract documents them. */
final class Canned {
  private Canned() {}

  static final String WEB = """
      {"name":"web","desired":2,"ready":1,"failed":0,"instances":[
        {"service":"web","id":0,"state":"READY","ready":true,"pid":1234,"port":18080,
         "startedAt":"2026-11-27T02:00:00Z","uptimeSeconds":3725.5,"restarts":1,
         "lastExit":{"code":3,"signal":null,"description":"exit code 3"},
         "probes":{"liveness":{"success":true,"detail":"HTTP 200"}},
         "cpuSeconds":1.25,"residentBytes":52428800,"loadBalancer":null},
        {"service":"web","id":1,"state":"BACKOFF","ready":false,"pid":null,"port":18081,
         "startedAt":null,"uptimeSeconds":null,"restarts":12,
         "lastExit":{"code":null,"signal":"SIGKILL","description":"killed by SIGKILL"},
         "probes":{},"cpuSeconds":null,"residentBytes":null,"loadBalancer":null}]}
      """;

  static final String API = """
      {"name":"api","desired":1,"ready":0,"failed":0,"instances":[
        {"service":"api","id":0,"state":"RUNNING","ready":false,"pid":99,"port":18090,
         "startedAt":"2026-11-27T03:00:00Z","uptimeSeconds":12.5,"restarts":0,"lastExit":null,
         "probes":{"liveness":{"success":true,"detail":"HTTP 200"},
                   "readiness":{"success":false,"detail":"HTTP 503"}},
         "cpuSeconds":0.5,"residentBytes":1048576,"loadBalancer":null,"somethingNew":true}]}
      """;

  /** {@link #WEB} behind a load balancer: one instance in each status that has a detail. */
  static final String WEB_LB = """
      {"name":"web","desired":4,"ready":3,"failed":0,"instances":[
        {"service":"web","id":0,"state":"READY","ready":true,"pid":1234,"port":18080,
         "startedAt":"2026-11-27T02:00:00Z","uptimeSeconds":3725.5,"restarts":1,
         "lastExit":{"code":3,"signal":null,"description":"exit code 3"},
         "probes":{"readiness":{"success":true,"detail":"HTTP 200"}},
         "cpuSeconds":1.25,"residentBytes":52428800,
         "loadBalancer":{"status":"IN_ROTATION","inRotation":true,"ejectedUntil":null,
           "weight":1.0,"inFlight":2,"timesEjected":0,"consecutive5xx":0,
           "consecutiveGatewayErrors":0,"consecutiveLocalFailures":0}},
        {"service":"web","id":1,"state":"READY","ready":true,"pid":1240,"port":18081,
         "startedAt":"2026-11-27T02:59:00Z","uptimeSeconds":185.0,"restarts":0,"lastExit":null,
         "probes":{"readiness":{"success":true,"detail":"HTTP 200"}},
         "cpuSeconds":0.25,"residentBytes":41943040,
         "loadBalancer":{"status":"EJECTED","inRotation":true,
           "ejectedUntil":"2026-11-27T03:00:30.000Z","weight":1.0,"inFlight":0,
           "timesEjected":1,"consecutive5xx":0,"consecutiveGatewayErrors":0,
           "consecutiveLocalFailures":0}},
        {"service":"web","id":2,"state":"READY","ready":true,"pid":1301,"port":18082,
         "startedAt":"2026-11-27T03:01:56Z","uptimeSeconds":4.0,"restarts":2,
         "lastExit":{"code":null,"signal":"SIGKILL","description":"killed by SIGKILL"},
         "probes":{"readiness":{"success":true,"detail":"HTTP 200"}},
         "cpuSeconds":0.05,"residentBytes":20971520,
         "loadBalancer":{"status":"SLOW_START","inRotation":true,"ejectedUntil":null,
           "weight":0.4,"inFlight":1,"timesEjected":0,"consecutive5xx":0,
           "consecutiveGatewayErrors":0,"consecutiveLocalFailures":0}},
        {"service":"web","id":3,"state":"STOPPING","ready":false,"pid":1190,"port":18083,
         "startedAt":"2026-11-27T01:00:00Z","uptimeSeconds":7320.0,"restarts":0,
         "lastExit":null,"probes":{},"cpuSeconds":3.5,"residentBytes":52428800,
         "loadBalancer":{"status":"DRAINING","inRotation":false,"ejectedUntil":null,
           "weight":0.0,"inFlight":3,"timesEjected":0,"consecutive5xx":0,
           "consecutiveGatewayErrors":0,"consecutiveLocalFailures":0}}]}
      """;

  static final String SERVICES = "{\"services\":[" + WEB + "," + API + "]}";

  static final String SERVICES_LB = "{\"services\":[" + WEB_LB + "," + API + "]}";

  static final String EXITED = """
      {"time":"2026-11-27T03:00:00.123Z","service":"web","instance":0,"from":"READY",
       "to":"EXITED","reason":"exited: exit code 3","pid":1234,"exitCode":3,"signal":null}"""
      .replace("\n", "");

  static final String STARTING = """
      {"time":"2026-11-27T03:00:00.125Z","service":"web","instance":0,"from":"EXITED",
       "to":"STARTING","reason":"restart now (first exit)","pid":null,"exitCode":null,
       "signal":null}""".replace("\n", "");

  static final String RUNNING = """
      {"time":"2026-11-27T03:00:00.180Z","service":"web","instance":0,"from":"STARTING",
       "to":"RUNNING","reason":"process started","pid":1301,"exitCode":null,"signal":null}"""
      .replace("\n", "");

  static final String API_READY = """
      {"time":"2026-11-27T03:00:01.000Z","service":"api","instance":0,"from":"RUNNING",
       "to":"READY","reason":"readiness probe passed","pid":99,"exitCode":null,"signal":null}"""
      .replace("\n", "");

  static final String EJECTED = """
      {"time":"2026-11-27T03:00:02.000Z","kind":"rotation","service":"web","instance":1,
       "from":"IN_ROTATION","to":"EJECTED",
       "reason":"5 consecutive 5xx responses; ejected for 30s (ejection 1 in a row)",
       "pid":null,"exitCode":null,"signal":null,"until":"2026-11-27T03:00:32.000Z"}"""
      .replace("\n", "");

  static String events(String... events) {
    return "{\"events\":[" + String.join(",", events) + "]}";
  }
}

package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 5xx burst from one instance, seen from outside: the ejection and the return are events in
 * {@code GET /v1/events}, in {@code vigil events} and in Vigil's log, and {@code GET
 * /v1/services/web} shows the instance ejected while it is. Real processes and sockets.
 */
class LbVisibilityIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /**
   * The base ejection time: every check of the ejected state below must be done before it ends,
   * which takes a few API calls; on a loaded machine 3 s was not always enough.
   */
  private static final Duration EJECTION = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void aFiveHundredBurstIsAnEjectionAndLaterAReturnInTheEventsAndTheServiceState()
      throws Exception {
    try (BalancedVigil v = new BalancedVigil(dir, EJECTION)) {
      // Given both instances in rotation
      assertEquals(List.of("IN_ROTATION", "IN_ROTATION"), lbStatuses(v));

      // When web/0 answers 500 to everything and requests come through the load balancer
      v.errors(0, 1.0);
      assertTrue(Host.eventually(WAIT, () -> {
        send(v);
        return event(v, e -> e.path("to").asText().equals("EJECTED")).isPresent();
      }), v.vigil.log());

      // Then the event says who, why and until when, and the service shows web/0 ejected
      JsonNode ejected = event(v, e -> e.path("to").asText().equals("EJECTED")).orElseThrow();
      assertEquals(0, ejected.path("instance").asInt());
      assertEquals("IN_ROTATION", ejected.path("from").asText());
      assertTrue(ejected.path("reason").asText().startsWith("3 consecutive 5xx responses; "
          + "ejected for " + EJECTION.toSeconds() + "s (ejection 1 in a row)"),
          ejected.toString());
      Instant until = Instant.parse(ejected.path("until").asText());
      Instant at = Instant.parse(ejected.path("time").asText());
      assertEquals(EJECTION.toMillis(), Duration.between(at, until).toMillis(), 50,
          ejected.toString());
      JsonNode web0 = v.api.get("/v1/services/web").json().path("instances").get(0)
          .path("loadBalancer");
      assertEquals("EJECTED", web0.path("status").asText(), web0.toString());
      assertTrue(web0.path("inRotation").asBoolean());
      assertEquals(1, web0.path("timesEjected").asInt());
      // (dated from the snapshot's remaining time: a millisecond either way)
      assertEquals(0, Duration.between(until, Instant.parse(web0.path("ejectedUntil").asText()))
          .toMillis(), 50, web0.toString());
      assertEquals("EJECTED", v.api.get("/v1/services/web/instances/0").json()
          .path("loadBalancer").path("status").asText());
      assertEquals("IN_ROTATION", lbStatuses(v).get(1));

      // When web/0 recovers / Then it returns by itself when its time is up
      v.errors(0, 0);
      assertTrue(Host.eventually(WAIT, () ->
          event(v, e -> e.path("from").asText().equals("EJECTED")).isPresent()), v.vigil.log());
      JsonNode returned = event(v, e -> e.path("from").asText().equals("EJECTED")).orElseThrow();
      assertEquals("IN_ROTATION", returned.path("to").asText());
      assertEquals("ejection time is over", returned.path("reason").asText());
      assertFalse(Instant.parse(returned.path("time").asText()).isBefore(until.minusMillis(50)));
      assertEquals(List.of("IN_ROTATION", "IN_ROTATION"), lbStatuses(v));

      // And the CLI and Vigil's log tell the same story; nothing was restarted for it
      assertEquals(0, VigilProcess.run(dir, "events.log", "events", "--service", "web", "-n",
          "50", "--api", v.api.base));
      String cli = Files.readString(dir.resolve("events.log"));
      assertTrue(cli.contains("web/0  lb IN_ROTATION -> EJECTED  3 consecutive 5xx"), cli);
      assertTrue(cli.contains("web/0  lb EJECTED -> IN_ROTATION  ejection time is over"), cli);
      assertTrue(v.vigil.log().contains("web/0 IN_ROTATION -> EJECTED (3 consecutive 5xx"),
          v.vigil.log());
      assertTrue(v.vigil.log().contains("web/0 EJECTED -> IN_ROTATION (ejection time is over)"),
          v.vigil.log());
      assertEquals(0, v.api.get("/v1/services/web/instances/0").json().path("restarts").asInt());
    }
  }

  private static void send(BalancedVigil v) {
    try {
      v.getThroughLb();
    } catch (Exception e) {
      throw new AssertionError("request through the load balancer failed", e);
    }
  }

  private static List<String> lbStatuses(BalancedVigil v) throws Exception {
    List<String> statuses = new ArrayList<>();
    v.api.get("/v1/services/web").json().path("instances")
        .forEach(i -> statuses.add(i.path("loadBalancer").path("status").asText()));
    return statuses;
  }

  /** The newest rotation event of web that matches. */
  private static Optional<JsonNode> event(BalancedVigil v, Predicate<JsonNode> test) {
    try {
      JsonNode events = v.api.get("/v1/events?service=web&limit=1000").json().path("events");
      Optional<JsonNode> found = Optional.empty();
      for (JsonNode e : events) {
        if (e.path("kind").asText().equals("rotation") && test.test(e)) {
          found = Optional.of(e);
        }
      }
      return found;
    } catch (Exception e) {
      throw new AssertionError("GET /v1/events failed", e);
    }
  }
}

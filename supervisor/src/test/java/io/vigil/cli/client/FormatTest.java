package io.vigil.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure text parts: status table, event lines, reload diff, colour choice. */
class FormatTest {
  private static InstanceStatus instance(String state, Long pid) {
    return instance("web", 0, state, pid, null);
  }

  private static InstanceStatus instance(String service, int id, String state, Long pid,
      InstanceStatus.LoadBalancer lb) {
    return new InstanceStatus(service, id, state, false, pid, 18080, null, 59.96, 0, null, null,
        null, null, lb);
  }

  private static InstanceStatus.LoadBalancer lb(String status, String until, double weight,
      int inFlight, int timesEjected) {
    return new InstanceStatus.LoadBalancer(status, until, weight, inFlight, timesEjected);
  }

  @Test
  void stateColoursOnATerminal() {
    record Case(String state, String colour) {}
    for (Case c : List.of(new Case("READY", StatusTable.GREEN),
        new Case("RUNNING", StatusTable.YELLOW), new Case("STARTING", StatusTable.YELLOW),
        new Case("STOPPING", StatusTable.YELLOW), new Case("BACKOFF", StatusTable.YELLOW),
        new Case("FAILED", StatusTable.RED), new Case("EXITED", StatusTable.RED),
        new Case("SOMETHING_NEW", ""))) {
      assertEquals(c.colour(), StatusTable.colourOf(c.state()), c.state());
    }
  }

  @Test
  void colourDoesNotDisturbTheAlignment() {
    // Given two instances whose states differ in length
    ServiceStatus web = new ServiceStatus("web", 2, 1, 1, List.of(
        instance("READY", 7L), instance("FAILED", null)));
    // When rendered with and without colour
    List<String> plain = StatusTable.lines(List.of(web), false, ZoneOffset.UTC);
    List<String> coloured = StatusTable.lines(List.of(web), true, ZoneOffset.UTC);
    // Then the coloured lines are the plain ones with escapes around the state only
    assertEquals(List.of("web  1/2 ready, 1 failed",
        "  web/0  READY   pid 7  port 18080  uptime 1m  restarts 0",
        "  web/0  FAILED  pid -  port 18080  uptime 1m  restarts 0"), plain);
    assertEquals("  web/0  \u001b[32mREADY\u001b[0m   pid 7  port 18080  uptime 1m  restarts 0",
        coloured.get(1));
    assertEquals(plain, coloured.stream().map(l -> l.replaceAll("\u001b\\[\\d+m", "")).toList());
  }

  @Test
  void loadBalancerTextPerStatus() {
    record Case(InstanceStatus.LoadBalancer lb, ZoneId zone, String text) {}
    String until = "2026-11-27T03:00:30.999Z";
    for (Case c : List.of(
        new Case(lb("IN_ROTATION", null, 1.0, 2, 0), ZoneOffset.UTC, "in rotation"),
        new Case(lb("SLOW_START", null, 0.4, 0, 0), ZoneOffset.UTC, "slow start 40%"),
        new Case(lb("SLOW_START", null, 0.104, 0, 0), ZoneOffset.UTC, "slow start 10%"),
        // the time of day, cut to the second, in the zone given
        new Case(lb("EJECTED", until, 1.0, 0, 1), ZoneOffset.UTC, "ejected until 03:00:30 (x1)"),
        new Case(lb("EJECTED", until, 1.0, 0, 3), ZoneOffset.ofHours(1),
            "ejected until 04:00:30 (x3)"),
        new Case(lb("EJECTED", "soon", 1.0, 0, 1), ZoneOffset.UTC, "ejected until soon (x1)"),
        new Case(lb("EJECTED", null, 1.0, 0, 1), ZoneOffset.UTC, "ejected (x1)"),
        new Case(lb("DRAINING", null, 0.0, 3, 0), ZoneOffset.UTC, "draining (3 in flight)"),
        new Case(lb("NOT_READY", null, 0.0, 0, 2), ZoneOffset.UTC, "not ready"),
        // a status newer than this client reads as its name
        new Case(lb("HALF_OPEN", null, 1.0, 0, 0), ZoneOffset.UTC, "half open"))) {
      assertEquals(c.text(), c.lb().text(c.zone()), c.lb().toString());
    }
  }

  @Test
  void lbColumnOnlyWhenSomeServiceHasALoadBalancer() {
    // Given web behind a load balancer and api without one
    ServiceStatus web = new ServiceStatus("web", 2, 0, 0, List.of(
        instance("web", 0, "RUNNING", 7L, lb("NOT_READY", null, 0.0, 0, 0)),
        instance("web", 1, "RUNNING", 8L, lb("DRAINING", null, 0.0, 12, 0))));
    ServiceStatus api = new ServiceStatus("api", 1, 0, 0, List.of(
        instance("api", 0, "RUNNING", 9L, null)));
    // When rendered together, and api alone
    List<String> both = StatusTable.lines(List.of(web, api), false, ZoneOffset.UTC);
    List<String> apiAlone = StatusTable.lines(List.of(api), false, ZoneOffset.UTC);
    // Then the lb column is aligned after restarts, "-" for api; api alone has none
    assertEquals(List.of("web  0/2 ready",
        "  web/0  RUNNING  pid 7  port 18080  uptime 1m  restarts 0  lb not ready",
        "  web/1  RUNNING  pid 8  port 18080  uptime 1m  restarts 0  lb draining (12 in flight)",
        "api  0/1 ready",
        "  api/0  RUNNING  pid 9  port 18080  uptime 1m  restarts 0  lb -"), both);
    assertEquals(List.of("api  0/1 ready",
        "  api/0  RUNNING  pid 9  port 18080  uptime 1m  restarts 0"), apiAlone);
  }

  @Test
  void colourOnlyOnATerminalWithoutNoColor() {
    assertEquals(true, StatusCommand.colour(true, Map.of()));
    assertEquals(true, StatusCommand.colour(true, Map.of("NO_COLOR", "")));
    assertEquals(false, StatusCommand.colour(true, Map.of("NO_COLOR", "1")));
    assertEquals(false, StatusCommand.colour(false, Map.of()));
  }

  @Test
  void uptimes() {
    assertEquals("12.5s", StatusTable.uptime(12.5));
    assertEquals("1h2m", StatusTable.uptime(3725.5));
    assertEquals("0s", StatusTable.uptime(0));
  }

  @Test
  void eventLineAsDocumented() {
    EventLine line = new EventLine(ZoneOffset.UTC);
    assertEquals("2026-11-27 03:00:00.123  web/0  READY -> EXITED  exited: exit code 3  pid=1234",
        line.format(new Event("2026-11-27T03:00:00.123Z", "transition", "web", 0, "READY",
            "EXITED", "exited: exit code 3", 1234L, 3, null, null)));
    assertEquals("2026-11-27 04:00:00.000  web  STARTING -> FAILED",
        new EventLine(ZoneOffset.ofHours(1)).format(new Event("2026-11-27T03:00:00Z", null,
            "web", null, "STARTING", "FAILED", null, null, null, null, null)));
    assertEquals("yesterday  web/1  A -> B  why", line.format(
        new Event("yesterday", "transition", "web", 1, "A", "B", "why", null, null, null, null)));
  }

  @Test
  void rotationEventLinesAreMarkedLbAndSayUntilWhen() {
    EventLine line = new EventLine(ZoneOffset.UTC);
    assertEquals("2026-11-27 03:00:00.123  web/0  lb IN_ROTATION -> EJECTED  5 consecutive 5xx"
        + " responses; ejected for 30s (ejection 1 in a row)  until=2026-11-27 03:00:30.123",
        line.format(new Event("2026-11-27T03:00:00.123Z", "rotation", "web", 0, "IN_ROTATION",
            "EJECTED", "5 consecutive 5xx responses; ejected for 30s (ejection 1 in a row)", null,
            null, null, "2026-11-27T03:00:30.123Z")));
    assertEquals("2026-11-27 03:00:30.123  web/0  lb EJECTED -> IN_ROTATION  ejection time is"
        + " over", line.format(new Event("2026-11-27T03:00:30.123Z", "rotation", "web", 0,
            "EJECTED", "IN_ROTATION", "ejection time is over", null, null, null, null)));
  }

  @Test
  void lastExitText() {
    assertEquals("exit code 3", new InstanceStatus.LastExit(3, null, "exit code 3").text());
    assertEquals("killed by SIGKILL", new InstanceStatus.LastExit(null, "SIGKILL", null).text());
    assertEquals("exit code 1", new InstanceStatus.LastExit(1, null, "").text());
  }

  @Test
  void reloadDiffLines() {
    assertEquals(List.of("added: a, b", "removed: c", "changed: d", "unchanged: e"),
        new ReloadDiff(List.of("a", "b"), List.of("c"), List.of("d"), List.of("e")).lines());
    assertEquals(List.of("no changes"), new ReloadDiff(null, null, null, null).lines());
  }
}

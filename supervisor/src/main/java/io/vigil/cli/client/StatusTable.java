package io.vigil.cli.client;

import io.vigil.time.HumanDuration;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code vigil status} as text, in the manner of {@code supervisorctl status}: a header per
 * service, then one line per instance with its columns aligned across the whole table.
 *
 * <pre>
 * web  2/2 ready
 *   web/0  READY  pid 1234  port 18080  uptime 1h2m  restarts 1  last exit: exit code 3
 *   web/1  READY  pid 1240  port 18081  uptime 3m5s  restarts 0
 * </pre>
 *
 * When some service in the table has a load balancer, every line gets an {@code lb} column
 * after {@code restarts}: the load balancer's view ({@link InstanceStatus.LoadBalancer#text}),
 * times in the given zone, or {@code lb -} for a service without one.
 *
 * With {@code colour}, the state is green (READY), yellow (on its way: RUNNING, STARTING,
 * STOPPING, BACKOFF) or red (FAILED, EXITED). Stateless.
 */
final class StatusTable {
  static final String GREEN = "\u001b[32m";
  static final String YELLOW = "\u001b[33m";
  static final String RED = "\u001b[31m";
  static final String RESET = "\u001b[0m";
  private static final int STATE_COLUMN = 1;

  private StatusTable() {}

  static List<String> lines(List<ServiceStatus> services, boolean colour, ZoneId zone) {
    // Without a load balancer anywhere, the table stays as it was before there was one.
    boolean lbColumn = services.stream().flatMap(s -> s.instances().stream())
        .anyMatch(i -> i.loadBalancer() != null);
    List<List<String>> rows = services.stream().flatMap(s -> s.instances().stream())
        .map(i -> cells(i, lbColumn, zone)).toList();
    int[] widths = widths(rows);
    List<String> lines = new ArrayList<>();
    int row = 0;
    for (ServiceStatus service : services) {
      lines.add(header(service));
      for (int i = 0; i < service.instances().size(); i++) {
        lines.add("  " + align(rows.get(row++), widths, colour));
      }
    }
    return lines;
  }

  static String header(ServiceStatus s) {
    String line = s.name() + "  " + s.ready() + "/" + s.desired() + " ready";
    return s.failed() > 0 ? line + ", " + s.failed() + " failed" : line;
  }

  /**
   * The columns of one instance, with {@code lb} if {@code lbColumn}; the optional ones (last
   * exit, failing probes) come last.
   */
  static List<String> cells(InstanceStatus i, boolean lbColumn, ZoneId zone) {
    List<String> cells = new ArrayList<>(List.of(
        i.service() + "/" + i.id(),
        i.state(),
        "pid " + orDash(i.pid()),
        "port " + orDash(i.port()),
        "uptime " + (i.uptimeSeconds() == null ? "-" : uptime(i.uptimeSeconds())),
        "restarts " + i.restarts()));
    if (lbColumn) {
      cells.add("lb " + (i.loadBalancer() == null ? "-" : i.loadBalancer().text(zone)));
    }
    if (i.lastExit() != null) {
      cells.add("last exit: " + i.lastExit().text());
    }
    for (Map.Entry<String, InstanceStatus.ProbeResult> probe : i.probes().entrySet()) {
      InstanceStatus.ProbeResult result = probe.getValue();
      if (result != null && Boolean.FALSE.equals(result.success())) {
        cells.add(probe.getKey() + " failing: " + orDash(result.detail()));
      }
    }
    return cells;
  }

  static String uptime(double seconds) {
    return HumanDuration.format(Duration.ofMillis(Math.round(seconds * 1000)));
  }

  /** The ANSI colour for a state, or "" for one this client does not know. */
  static String colourOf(String state) {
    return switch (String.valueOf(state)) {
      case "READY" -> GREEN;
      case "RUNNING", "STARTING", "STOPPING", "BACKOFF" -> YELLOW;
      case "FAILED", "EXITED" -> RED;
      default -> "";
    };
  }

  private static int[] widths(List<List<String>> rows) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    return widths;
  }

  private static String align(List<String> cells, int[] widths, boolean colour) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String shown = colour && c == STATE_COLUMN && !colourOf(cell).isEmpty()
          ? colourOf(cell) + cell + RESET : cell;
      line.append(shown);
      if (c < cells.size() - 1) {
        line.append(" ".repeat(widths[c] - cell.length() + 2));
      }
    }
    return line.toString();
  }

  private static String orDash(Object value) {
    return value == null ? "-" : value.toString();
  }
}

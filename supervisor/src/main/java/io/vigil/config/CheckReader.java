package io.vigil.config;

import io.vigil.probe.CheckSpec;
import io.vigil.probe.HttpSyntax;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads what a probe checks: exactly one of {@code http}, {@code tcp} or {@code exec}. A check
 * without a port of its own uses the instance's port, so the service must have one.
 */
final class CheckReader {
  private static final List<String> KINDS = List.of("http", "tcp", "exec");

  private final PortClaims claims;

  CheckReader(PortClaims claims) {
    this.claims = claims;
  }

  /** The check, or null if a problem was reported. */
  CheckSpec read(String service, Section probe, boolean servicePort) {
    List<String> present = KINDS.stream().filter(probe::has).toList();
    if (present.size() != 1) {
      probe.reportHere("must contain exactly one of http, tcp, exec"
          + (present.isEmpty() ? "" : "; found " + String.join(" and ", present)));
      return null;
    }
    String kind = present.get(0);
    return probe.child(kind).map(check -> switch (kind) {
      case "http" -> http(service, check, servicePort);
      case "tcp" -> tcp(service, check, servicePort);
      default -> exec(check);
    }).orElse(null);
  }

  private CheckSpec http(String service, Section http, boolean servicePort) {
    int mark = http.mark();
    String path = http.required("path",
        Readings.TEXT.check(p -> p.startsWith("/"), "must start with '/'")
            .check(HttpSyntax::isRequestPath, "must be printable ASCII without spaces:"
                + " percent-encode other characters (a space is %20)"));
    OptionalInt port = port(service, http, servicePort);
    Map<String, String> headers = http.stringMap("headers");
    // Only when there are headers: child() reports a "headers" that is not an object again.
    if (!headers.isEmpty()) {
      http.child("headers").ifPresent(section -> reportBadHeaders(section, headers));
    }
    boolean keepAlive =
        http.optional("keep-alive", Readings.BOOLEAN).orElse(CheckSpec.Http.DEFAULT_KEEP_ALIVE);
    return http.cleanSince(mark) ? new CheckSpec.Http(path, port, headers, keepAlive) : null;
  }

  private static void reportBadHeaders(Section section, Map<String, String> headers) {
    headers.forEach((name, value) -> {
      if (!HttpSyntax.isHeaderName(name)) {
        section.report(name, "is not an HTTP header name: no spaces, colons or other"
            + " separators (an RFC 9110 token)");
      } else if (!HttpSyntax.isHeaderValue(value)) {
        section.report(name, "must be printable ASCII, not beginning with a space: no line"
            + " breaks or other control characters");
      }
    });
  }

  private CheckSpec tcp(String service, Section tcp, boolean servicePort) {
    int mark = tcp.mark();
    OptionalInt port = port(service, tcp, servicePort);
    return tcp.cleanSince(mark) ? new CheckSpec.Tcp(port) : null;
  }

  private static CheckSpec exec(Section exec) {
    List<String> command = exec.required("command", Readings.COMMAND);
    return command == null ? null : new CheckSpec.Exec(command);
  }

  /** The check's own port (same for every instance), or empty for the instance's port. */
  private OptionalInt port(String service, Section check, boolean servicePort) {
    Optional<Integer> port = check.optional("port", Readings.PORT);
    port.ifPresent(p -> claims.claim(service, p, p, check.pathOf("port"), check.originOf("port")));
    if (!check.has("port") && !servicePort) {
      check.reportHere("needs a port: service '" + service + "' has none, so set port here or "
          + "set " + Section.join(Section.join("services", service), "port"));
    }
    return port.map(OptionalInt::of).orElse(OptionalInt.empty());
  }
}

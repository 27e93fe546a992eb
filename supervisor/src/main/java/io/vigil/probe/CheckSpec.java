package io.vigil.probe;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** What one probe checks: an HTTP GET, a TCP connect, or a command's exit code. */
public sealed interface CheckSpec {

  /**
   * GET {@code path}; 200..399 is success. port empty = the instance's own port.
   *
   * @param keepAlive reuse one kept-alive connection per target from check to check (as Envoy's
   *     HTTP health checker does); false opens a new connection for every check (as the kubelet)
   */
  record Http(String path, OptionalInt port, Map<String, String> headers, boolean keepAlive)
      implements CheckSpec {
    /** {@code http { keep-alive }} when the config leaves it out. */
    public static final boolean DEFAULT_KEEP_ALIVE = true;

    public Http {
      headers = Map.copyOf(headers);
    }
  }

  /** A TCP connection that is established is success. port empty = the instance's own port. */
  record Tcp(OptionalInt port) implements CheckSpec {}

  /** Exit code 0 within the timeout is success; the command is killed on timeout. */
  record Exec(List<String> command) implements CheckSpec {
    public Exec {
      command = List.copyOf(command);
    }
  }
}

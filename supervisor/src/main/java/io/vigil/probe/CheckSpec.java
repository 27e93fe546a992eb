package io.vigil.probe;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** What one probe checks: an HTTP GET, a TCP connect, or a command's exit code. */
public sealed interface CheckSpec {

  /** GET {@code path}; 200..399 is success. port empty = the instance's own port. */
  record Http(String path, OptionalInt port, Map<String, String> headers) implements CheckSpec {
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

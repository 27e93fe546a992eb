package io.vigil.cli;

import io.vigil.demo.DemoBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil demo-backend}: a tiny HTTP server with fault injection, for the demo. */
@Command(name = "demo-backend", mixinStandardHelpOptions = true,
    description = "Serve /, /healthz, /readyz and /fault/* (crash, hang, slow, errors, ready, "
        + "leak, reset) on 127.0.0.1.")
final class DemoBackendCommand implements Callable<Integer> {
  @Option(names = "--port", description = "Port to listen on (default: $PORT).")
  Integer port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind.")
  String host;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Integer chosen = port != null ? port : envPort();
    if (chosen == null) {
      spec.commandLine().getErr().println("vigil demo-backend: give --port N or set PORT");
      return 2;
    }
    try (DemoBackend backend = DemoBackend.start(new InetSocketAddress(host, chosen))) {
      System.out.println("demo backend listening on " + host + ":" + backend.port());
      backend.awaitShutdown();
      return 0;
    } catch (IOException e) {
      spec.commandLine().getErr().println("vigil demo-backend: cannot listen on " + host + ":"
          + chosen + ": " + e.getMessage());
      return 1;
    }
  }

  private static Integer envPort() {
    String p = System.getenv("PORT");
    try {
      return p == null ? null : Integer.valueOf(p.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

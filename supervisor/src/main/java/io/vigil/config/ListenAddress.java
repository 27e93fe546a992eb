package io.vigil.config;

/** A {@code host:port} to bind; port 0 picks a free port (tests). */
public record ListenAddress(String host, int port) {
  public boolean loopback() {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
        || host.equals("[::1]");
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}

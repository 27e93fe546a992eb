package io.vigil.probe.check;

import io.vigil.agent.ProcessIdentity;
import java.util.Optional;

/**
 * Where a network check connects: an IP literal and a port, and the process expected to answer
 * there when known. The key of kept-alive connections: a connection opened to one process is
 * never handed to a check of the process that replaced it on the same port.
 */
record Endpoint(String host, int port, Optional<ProcessIdentity> process) {}

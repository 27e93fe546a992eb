package io.vigil.lb;

/** What the load balancer speaks: HTTP/1.1 (requests are balanced) or TCP (connections are). */
public enum Protocol {
  HTTP, TCP
}

/**
 * The load balancer's data path on Netty: HTTP/1.1 and TCP listeners, pooled connections to the
 * instances, streaming with back-pressure. It asks {@link io.vigil.lb.TrafficPolicy} for every
 * decision and reports outcomes back; entry point {@link io.vigil.lb.netty.LoadBalancers}.
 */
package io.vigil.lb.netty;

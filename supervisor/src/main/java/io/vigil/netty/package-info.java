/** Netty plumbing shared by the probe loop, the metrics endpoint and the load balancer. */
package io.vigil.netty;

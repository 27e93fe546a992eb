/**
 * The command line and the composition root: the only place that builds real clocks, threads,
 * the agent and the servers, and wires them together.
 */
package io.vigil.cli;

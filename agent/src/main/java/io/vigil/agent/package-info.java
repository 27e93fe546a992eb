/**
 * Host mechanics for Vigil: launch, signal, watch and sample processes. No policy: the agent
 * never decides whether to restart anything; it reports facts to the supervisor.
 */
package io.vigil.agent;

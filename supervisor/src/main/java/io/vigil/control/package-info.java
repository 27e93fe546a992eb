/**
 * The control loop: one owner thread that receives events (exits, probe results, samples,
 * operator commands), asks the policies what to do, and calls the agent. Also the state store
 * that lets a restarted Vigil re-adopt its instances.
 */
package io.vigil.control;

/**
 * Resource limit policy: when sampled use over a limit becomes a restart. Pure: it is handed
 * samples and returns a reason; sampling itself is mechanism ({@code io.vigil.agent.host}).
 */
package io.vigil.limits;

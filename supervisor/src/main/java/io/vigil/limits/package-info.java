/** Resource limit policy: when sampled use over a limit becomes a restart. Pure; takes samples and now. */
package io.vigil.limits;

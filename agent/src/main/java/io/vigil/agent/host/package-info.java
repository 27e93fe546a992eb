/**
 * Resource sampling of the host through OSHI. The only package that imports
 * {@code oshi.*}.
 */
package io.vigil.agent.host;

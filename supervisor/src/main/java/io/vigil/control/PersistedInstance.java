package io.vigil.control;

import io.vigil.agent.ProcessIdentity;

/**
 * One line of the state file: enough to recognise an instance after Vigil restarts.
 *
 * @param fingerprint of the service settings the instance was started with; a different one
 *     after restart means the configuration changed, so the instance is replaced
 */
record PersistedInstance(
    String service, int index, ProcessIdentity identity, int port, String fingerprint) {}

package io.vigil.lb;

import io.vigil.instance.InstanceId;

/**
 * An instance that may take the next request, as a {@link Balancer} sees it.
 *
 * @param outstanding requests in flight to it now
 * @param readySinceNanos when it entered rotation (Ticker time), for slow start
 */
public record Candidate(InstanceId id, int outstanding, long readySinceNanos) {}

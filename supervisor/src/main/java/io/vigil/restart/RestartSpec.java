package io.vigil.restart;

import java.time.Duration;

/** A service's restart settings; {@code resetAfter} of healthy running forgets past crashes. */
public record RestartSpec(
    RestartPolicy policy, BackoffSpec backoff, Duration resetAfter, GiveUpSpec giveUp) {}

package io.vigil.config;

import io.vigil.agent.Signal;
import java.time.Duration;

/** How an instance is stopped: {@code signal} to its process group, SIGKILL after {@code gracePeriod}. */
public record StopSpec(Signal signal, Duration gracePeriod) {}

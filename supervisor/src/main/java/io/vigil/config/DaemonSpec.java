package io.vigil.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the daemon itself ({@code vigil { ... }}).
 *
 * @param stateDir where instance identities and instance logs are kept
 * @param logMaxBytes an instance log file is rotated past this size
 * @param logKeep rotated files kept per log
 * @param sampleInterval how often instances with a memory limit are sampled and logs checked
 *     for rotation; the oldest sample the API and the metrics show (older ones are taken again)
 * @param eventLogSize transitions kept in memory
 * @param api where the status API and the metrics are served, and the API's token
 */
public record DaemonSpec(
    Path stateDir, long logMaxBytes, int logKeep, Duration sampleInterval, int eventLogSize,
    ApiSpec api) {}

package io.vigil.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Reads {@code vigil { ... }} into a {@link DaemonSpec}; null if it reported a problem. */
final class DaemonReader {
  private DaemonReader() {}

  static DaemonSpec read(Section vigil, Path baseDir) {
    int mark = vigil.mark();
    Path stateDir = vigil.required("state-dir", Readings.path(baseDir));
    Optional<Section> logs = vigil.child("logs");
    Long logMaxBytes = logs.map(l -> l.required("max-size", Readings.SIZE)).orElse(null);
    Integer logKeep = logs.map(l -> l.required("keep", Readings.atLeast(1))).orElse(null);
    Duration sampleInterval = vigil.required("sample-interval", Readings.POSITIVE_DURATION);
    Integer eventLogSize = vigil.required("event-log-size", Readings.atLeast(1));
    ApiSpec api = ApiReader.read(vigil, baseDir);
    if (!vigil.cleanSince(mark)) {
      return null;
    }
    return new DaemonSpec(stateDir, logMaxBytes, logKeep, sampleInterval, eventLogSize, api);
  }
}

package io.vigil.control;

import io.vigil.agent.ProcessIdentity;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Persists the identities of live instances in {@code STATE_DIR/instances.tsv}, atomically
 * (write a temporary file, fsync, rename), so a Vigil that crashed can re-adopt them. Writes
 * happen in order on one background thread so the control loop never waits for the disk.
 */
final class StateStore implements AutoCloseable {
  private static final Logger LOG = System.getLogger(StateStore.class.getName());
  private static final String HEADER = "# service\tindex\tpid\tstart-ticks\tport\tfingerprint";

  private final Path file;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(DaemonThreads.named("vigil-state-writer"));

  StateStore(Path stateDir) {
    this.file = stateDir.resolve("instances.tsv");
  }

  Path file() {
    return file;
  }

  /** Reads what the previous run left; a damaged line is logged and skipped. */
  List<PersistedInstance> load() {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read " + file + ": " + e.getMessage() + "; adopting nothing");
      return List.of();
    }
    List<PersistedInstance> result = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        result.add(parse(line));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, file + ":" + (i + 1) + ": ignoring damaged line: " + line);
      }
    }
    return result;
  }

  private static PersistedInstance parse(String line) {
    String[] f = line.split("\t", -1);
    return new PersistedInstance(
        f[0],
        Integer.parseInt(f[1]),
        new ProcessIdentity(Long.parseLong(f[2]), Long.parseLong(f[3])),
        Integer.parseInt(f[4]),
        f.length > 5 ? f[5] : "");
  }

  /** Queues a write of the full list; writes are applied in call order. */
  void save(List<PersistedInstance> instances) {
    List<PersistedInstance> copy = List.copyOf(instances);
    try {
      writer.execute(() -> write(copy));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      write(copy);
    }
  }

  private void write(List<PersistedInstance> instances) {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (PersistedInstance p : instances) {
      text.append(p.service()).append('\t').append(p.index()).append('\t')
          .append(p.identity().pid()).append('\t').append(p.identity().startTicks()).append('\t')
          .append(p.port()).append('\t').append(p.fingerprint()).append('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.log(Level.ERROR, "cannot write " + file + ": " + e.getMessage()
          + "; instances may not be re-adopted after a Vigil crash");
    }
  }

  /** Waits for queued writes. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

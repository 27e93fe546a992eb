package io.vigil.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on the state directory, so two Vigils never supervise (and duplicate) the
 * same instances. The kernel drops it when the process dies, even by SIGKILL.
 */
final class StateDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private StateDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static StateDirLock acquire(Path stateDir) throws IOException {
    try {
      Files.createDirectories(stateDir);
    } catch (IOException e) {
      throw new IOException("cannot create state directory " + stateDir + ": " + e.getMessage());
    }
    Path file = stateDir.resolve("vigil.lock");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new IOException("another Vigil is already running with state directory " + stateDir);
    }
    return new StateDirLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}

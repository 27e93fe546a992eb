package io.vigil.agent.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads the end of a file, however large it grew. Stateless. */
final class OutputTail {

  private OutputTail() {}

  /**
   * The last {@code maxBytes} bytes of {@code file} as UTF-8; a character cut in half at the start
   * becomes U+FFFD.
   */
  static String read(Path file, int maxBytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, maxBytes));
      long position = size - buffer.capacity();
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, position + buffer.position());
        if (n < 0) {
          break;
        }
      }
      buffer.flip();
      return StandardCharsets.UTF_8.decode(buffer).toString();
    }
  }
}

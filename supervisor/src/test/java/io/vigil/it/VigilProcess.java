package io.vigil.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Vigil itself as a separate JVM, from the built jar, with its output in a file. */
final class VigilProcess implements AutoCloseable {
  final Process process;
  final Path output;

  private VigilProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static VigilProcess start(Path dir, String outputName, String... args) throws IOException {
    return start(dir, outputName, List.of(), args);
  }

  /** As {@link #start(Path, String, String...)}, with more options for the JVM. */
  static VigilProcess start(Path dir, String outputName, List<String> jvmOptions,
      String... args) throws IOException {
    return start(dir, outputName, List.of(), jvmOptions, args);
  }

  /**
   * As {@link #start(Path, String, String...)}, with more options for the JVM, and run by {@code
   * wrapper} (a command that ends by running the rest of its arguments).
   */
  static VigilProcess start(Path dir, String outputName, List<String> wrapper,
      List<String> jvmOptions, String... args) throws IOException {
    // Every signal at its default first, whatever the build was started with (mvn under a
    // shell's '&' ignores SIGINT): what Vigil prints must not depend on it.
    List<String> cmd = new ArrayList<>(envResetsSignals() ? DEFAULT_SIGNALS : List.of());
    cmd.addAll(wrapper);
    cmd.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", System.getProperty("vigil.jar")));
    cmd.addAll(List.of(args));
    Path out = dir.resolve(outputName);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    return new VigilProcess(p, out);
  }

  private static final List<String> DEFAULT_SIGNALS =
      List.of("/usr/bin/env", "--default-signal", "--");
  private static Boolean envResetsSignals;

  /** Whether this machine's env has --default-signal (coreutils 8.31 or later). */
  static synchronized boolean envResetsSignals() {
    if (envResetsSignals == null) {
      List<String> probe = new ArrayList<>(DEFAULT_SIGNALS);
      probe.add("true");
      try {
        Process env = new ProcessBuilder(probe).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        envResetsSignals = env.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)
            && env.exitValue() == 0;
        env.destroyForcibly();
      } catch (IOException e) {
        envResetsSignals = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return envResetsSignals;
  }

  /** Runs a short command to completion and returns its exit code. */
  static int run(Path dir, String outputName, String... args) throws Exception {
    try (VigilProcess v = start(dir, outputName, args)) {
      if (!v.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new AssertionError("vigil " + String.join(" ", args) + " did not finish");
      }
      return v.process.exitValue();
    }
  }

  String log() {
    try {
      return Files.exists(output) ? Files.readString(output) : "";
    } catch (IOException e) {
      return "";
    }
  }

  long count(String text) {
    String log = log();
    long n = 0;
    for (int i = log.indexOf(text); i >= 0; i = log.indexOf(text, i + 1)) {
      n++;
    }
    return n;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}

package io.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd's own tools check the files in packaging/systemd: {@code systemd-analyze verify} the
 * unit, {@code systemd-sysusers --dry-run} the user. Both work offline, without systemd running
 * as PID 1. Skipped where the tools are missing (Debian/Ubuntu and RHEL package: systemd).
 */
@Timeout(120)
class SystemdUnitIT {
  private static final Path PACKAGING =
      Path.of("..", "packaging", "systemd").toAbsolutePath().normalize();
  private static final String UNIT_JAVA = "/usr/bin/java";

  @TempDir Path dir;

  @Test
  void systemdAnalyzeVerifiesTheUnit() throws Exception {
    Path analyze = tool("systemd-analyze");
    // Given the unit, its java replaced by the one running this test: verify checks that each
    // Exec*= program exists, and a build host may keep its JDK elsewhere than /usr/bin/java.
    // Every other line, and the file name, stay as shipped.
    Path unit = dir.resolve("vigil.service");
    List<String> shipped = Files.readAllLines(PACKAGING.resolve("vigil.service"));
    List<String> copy = withJava(shipped, Path.of(System.getProperty("java.home"), "bin", "java"));
    Files.write(unit, copy);

    // When systemd checks it (--man=no: no man pages needed on the build host)
    Result r = run(analyze.toString(), "verify", "--man=no", unit.toString());

    // Then it is valid and says nothing about it: an unknown key or a bad value is a warning
    // with exit code 0, so the output counts too.
    List<String> aboutVigil = r.lines().stream()
        .filter(l -> l.contains("vigil.service") || l.contains(unit.toString())).toList();
    assertEquals(List.of(), aboutVigil, r.output());
    assertEquals(0, r.exitCode(), r.output());
  }

  @Test
  void systemdSysusersAcceptsTheUser() throws Exception {
    Path sysusers = tool("systemd-sysusers");
    // --root keeps the dry run away from this host's /etc/passwd.
    Result r = run(sysusers.toString(), "--dry-run", "--root=" + dir,
        PACKAGING.resolve("vigil.sysusers").toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("Creating user 'vigil'"), r.output());
  }

  /** The shipped lines with {@code /usr/bin/java} replaced in Exec*= lines only. */
  static List<String> withJava(List<String> lines, Path java) {
    List<String> out = new ArrayList<>();
    int replaced = 0;
    for (String line : lines) {
      if (line.matches("Exec[A-Za-z]*=" + UNIT_JAVA + " .*")) {
        out.add(line.replaceFirst("=" + UNIT_JAVA + " ", "=" + java + " "));
        replaced++;
      } else {
        out.add(line);
      }
    }
    assertEquals(2, replaced, "ExecStart= and the first ExecReload= run " + UNIT_JAVA);
    return out;
  }

  private static Path tool(String name) {
    Optional<Path> found = Stream.concat(
            Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
            Stream.of("/usr/bin", "/bin"))
        .filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable)
        .findFirst();
    Assumptions.assumeTrue(found.isPresent(),
        name + " not found: install the systemd package to check packaging/systemd");
    return found.get();
  }

  record Result(int exitCode, String output) {
    List<String> lines() {
      return output.lines().toList();
    }
  }

  private Result run(String... command) throws IOException, InterruptedException {
    Path out = dir.resolve("tool.out");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 60s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}

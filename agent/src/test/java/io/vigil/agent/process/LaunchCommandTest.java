package io.vigil.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaunchCommandTest {

  @Test
  void prefixesSetsid() {
    // When
    List<String> argv = LaunchCommand.argv(List.of("-weird", "a b"), Optional.empty());

    // Then
    assertEquals(List.of("/usr/bin/setsid", "--", "-weird", "a b"), argv);
  }

  @Test
  void dropsToUserWithPrimaryGroupAndItsSupplementaryGroups() {
    // Given
    UserAccount nobody = new UserAccount("nobody", 65534, 65533, "/nonexistent");

    // When
    List<String> argv = LaunchCommand.argv(List.of("sleep", "1"), Optional.of(nobody));

    // Then
    assertEquals(
        List.of(
            "/usr/bin/setsid", "--",
            "/usr/bin/setpriv", "--reuid=65534", "--regid=65533", "--init-groups", "--",
            "sleep", "1"),
        argv);
  }

  @Test
  void detachedPassesLogsAndCommandAsPositionalParameters() {
    // When: nothing the user wrote is put into the script itself.
    List<String> argv =
        LaunchCommand.detached(
            List.of("my tool", "$HOME", "'"),
            Optional.empty(),
            Path.of("/l/o"),
            Path.of("/l/e"),
            Optional.of("/srv"),
            List.of());

    // Then
    assertEquals(
        List.of(
            "/usr/bin/setsid", "--fork", "--", "/bin/sh", "-c", LaunchCommand.DETACH_SCRIPT, "sh",
            "/l/o", "/l/e", "+/srv", "my tool", "$HOME", "'"),
        argv);
  }

  @Test
  void detachedDropsToUserBeforeTheCommand() {
    // Given
    UserAccount nobody = new UserAccount("nobody", 65534, 65533, "/nonexistent");

    // When
    List<String> launched = afterTheHelper(List.of("-weird"), Optional.of(nobody), List.of());

    // Then: setpriv takes "--", so a command starting with '-' needs nothing more.
    assertEquals(
        List.of(
            "/usr/bin/setpriv", "--reuid=65534", "--regid=65533", "--init-groups", "--",
            "-weird"),
        launched);
  }

  @Test
  void detachedLetsEnvExecACommandStartingWithADash() {
    // When
    List<String> launched = afterTheHelper(List.of("-weird", "x"), Optional.empty(), List.of());

    // Then
    assertEquals(List.of("/usr/bin/env", "--", "-weird", "x"), launched);
  }

  @Test
  void detachedResetsTheSignalsVigilIgnoresBeforeTheCommand() {
    // When
    List<String> launched =
        afterTheHelper(List.of("-weird", "x"), Optional.empty(), List.of(1, 2));

    // Then: env's own "--" also covers a command starting with '-'
    assertEquals(
        List.of("/usr/bin/env", "--default-signal=1,2", "--", "-weird", "x"),
        launched);
  }

  @Test
  void detachedResetsSignalsBeforeDroppingToTheUser() {
    UserAccount nobody = new UserAccount("nobody", 65534, 65533, "/nonexistent");

    List<String> launched = afterTheHelper(List.of("sleep", "1"), Optional.of(nobody), List.of(2));

    assertEquals(
        List.of("/usr/bin/env", "--default-signal=2", "--",
            "/usr/bin/setpriv", "--reuid=65534", "--regid=65533", "--init-groups", "--",
            "sleep", "1"),
        launched);
  }

  @Test
  void encodesPwdSoThatUnsetAndEveryValueDiffer() {
    // Given: PWD as the helper's environment has it → positional parameter.
    Object[][] table = {
      {Optional.empty(), "-"},
      {Optional.of("/srv/app"), "+/srv/app"},
      {Optional.of(""), "+"},
      {Optional.of("-"), "+-"},
    };
    for (Object[] row : table) {
      @SuppressWarnings("unchecked")
      Optional<String> pwd = (Optional<String>) row[0];

      // When / Then
      assertEquals(row[1], LaunchCommand.pwdParameter(pwd), "PWD " + pwd);
    }
  }

  /**
   * What the detach helper (setsid, sh and its script, the two log files and PWD: ten words)
   * runs: the part of the argv that depends on the command, user and signals.
   */
  private static List<String> afterTheHelper(
      List<String> command, Optional<UserAccount> runAs, List<Integer> reset) {
    List<String> argv = LaunchCommand.detached(
        command, runAs, Path.of("/o"), Path.of("/e"), Optional.empty(), reset);
    return argv.subList(10, argv.size());
  }
}

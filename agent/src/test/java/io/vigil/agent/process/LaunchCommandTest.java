package io.vigil.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}

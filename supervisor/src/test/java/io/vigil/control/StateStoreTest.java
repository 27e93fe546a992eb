package io.vigil.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vigil.agent.ProcessIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
  @TempDir Path dir;

  @Test
  void savedInstancesAreLoadedBack() {
    // Given two live instances saved
    List<PersistedInstance> saved = List.of(
        new PersistedInstance("web", 0, new ProcessIdentity(100, 5555), 8080, "abc"),
        new PersistedInstance("web", 1, new ProcessIdentity(101, 5556), 8081, "abc"));
    try (StateStore store = new StateStore(dir)) {
      store.save(saved);
    }
    // When a new store reads the same directory
    // Then it gets them back, and no temporary file is left
    assertEquals(saved, new StateStore(dir).load());
    assertFalse(Files.exists(dir.resolve("instances.tsv.tmp")));
  }

  @Test
  void laterSavesReplaceEarlierOnes() {
    try (StateStore store = new StateStore(dir)) {
      store.save(List.of(new PersistedInstance("a", 0, new ProcessIdentity(1, 1), 0, "x")));
      store.save(List.of());
    }
    assertEquals(List.of(), new StateStore(dir).load());
  }

  @Test
  void damagedLinesAreSkippedAndTheRestIsKept() throws Exception {
    // Given a file with a damaged line between good ones
    Files.writeString(dir.resolve("instances.tsv"), "# header\n"
        + "web\t0\t100\t5555\t8080\tabc\n"
        + "web\tnot-a-number\n"
        + "api\t0\t200\t6666\t0\tdef\n");
    // When loaded, Then the good lines survive
    assertEquals(List.of("web", "api"),
        new StateStore(dir).load().stream().map(PersistedInstance::service).toList());
  }

  @Test
  void missingFileMeansNothingToAdopt() {
    assertEquals(List.of(), new StateStore(dir.resolve("nowhere")).load());
  }
}

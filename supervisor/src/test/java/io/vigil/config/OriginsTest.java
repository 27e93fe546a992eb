package io.vigil.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Origins of merged objects, and the order problems are reported in. */
class OriginsTest {

  @Test
  void mergedObjectPointsAtTheWinningSide() {
    // Given an object merged from two files (a service over the service template)
    ConfigOrigin user = ConfigOriginFactory.newFile("/etc/vigil/vigil.conf").withLineNumber(12);
    ConfigOrigin template = ConfigOriginFactory.newFile("/etc/vigil/other.conf").withLineNumber(3);
    ConfigOrigin merged = ConfigFactory.parseString("a = 1").root().withOrigin(user)
        .withFallback(ConfigFactory.parseString("b = 2").root().withOrigin(template)).origin();

    // When it is converted / Then it names the user's file and line
    assertEquals(new Origin("/etc/vigil/vigil.conf", 12), Origins.of(merged));
  }

  @Test
  void mainFileFirstThenOtherFilesThenLines() {
    // Given origins in three files
    List<Origin> origins = new ArrayList<>(List.of(new Origin("/c/conf.d/b.conf", 1),
        new Origin("/c/vigil.conf", 9), new Origin("/c/conf.d/a.conf", 5),
        new Origin("/c/vigil.conf", 2)));

    // When they are sorted for a report
    origins.sort(Origins.order("/c/vigil.conf"));

    // Then the main file comes first
    assertEquals(List.of(new Origin("/c/vigil.conf", 2), new Origin("/c/vigil.conf", 9),
        new Origin("/c/conf.d/a.conf", 5), new Origin("/c/conf.d/b.conf", 1)), origins);
  }
}

package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;

/**
 * Keeps the hand-written OpenAPI document true: the same (method, path) pairs as the Jersey
 * resources, and each schema with exactly the components of its JSON record ({@code X} is
 * {@code io.vigil.api.json.XJson}).
 */
class OpenApiTest {
  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  @Test
  void documentedOperationsAreExactlyTheResourceMethods() throws IOException {
    // Given the document and the resource model Jersey builds from the classes
    Set<String> documented = documentedOperations(document());
    Set<String> implemented = new TreeSet<>();
    for (Class<?> type : ApiApplication.RESOURCES) {
      Resource resource = Resource.from(type);
      collect(resource, "", implemented);
    }

    // Then they list the same operations
    assertTrue(implemented.size() >= 19, "resource model looks empty: " + implemented);
    assertEquals(implemented, documented, "OpenAPI paths differ from the resources:\n"
        + "  only in resources: " + minus(implemented, documented) + "\n"
        + "  only in openapi.json: " + minus(documented, implemented));
  }

  @Test
  void eachSchemaHasExactlyTheComponentsOfItsRecord() throws Exception {
    JsonNode schemas = document().path("components").path("schemas");
    Set<String> dtoNames = dtoClassNames();
    Set<String> schemaNames = new TreeSet<>();
    schemas.fieldNames().forEachRemaining(schemaNames::add);

    // Every JSON record is documented, and every schema is a JSON record
    assertEquals(dtoNames, schemaNames.stream().map(n -> n + "Json").collect(
        Collectors.toCollection(TreeSet::new)));
    for (String name : schemaNames) {
      Class<?> record = Class.forName("io.vigil.api.json." + name + "Json");
      Set<String> components = Arrays.stream(record.getRecordComponents())
          .map(RecordComponent::getName).collect(Collectors.toCollection(TreeSet::new));
      Set<String> properties = new TreeSet<>();
      schemas.path(name).path("properties").fieldNames().forEachRemaining(properties::add);
      assertEquals(components, properties, "schema " + name + " vs " + record.getName());
    }
  }

  @Test
  void everySchemaReferenceResolves() throws IOException {
    JsonNode doc = document();
    Set<String> refs = new TreeSet<>();
    collectRefs(doc, refs);
    assertFalse(refs.isEmpty());
    for (String ref : refs) {
      String name = ref.substring("#/components/schemas/".length());
      assertFalse(doc.path("components").path("schemas").path(name).isMissingNode(), ref);
    }
    assertEquals("3.1.0", doc.path("openapi").asText());
  }

  // ---- helpers ----------------------------------------------------------------------------

  static JsonNode document() throws IOException {
    try (InputStream in = OpenApiResource.class.getResourceAsStream(OpenApiResource.DOCUMENT)) {
      assertNotNull(in, "io/vigil/api/openapi.json is missing");
      return new ObjectMapper().readTree(in);
    }
  }

  private static Set<String> documentedOperations(JsonNode doc) {
    Set<String> ops = new TreeSet<>();
    doc.path("paths").fields().forEachRemaining(path -> {
      Iterator<String> methods = path.getValue().fieldNames();
      methods.forEachRemaining(m -> {
        if (HTTP_METHODS.contains(m)) {
          ops.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      });
    });
    return ops;
  }

  private static void collect(Resource resource, String parent, Set<String> out) {
    String path = join(parent, resource.getPath());
    for (ResourceMethod method : resource.getResourceMethods()) {
      out.add(method.getHttpMethod() + " " + path);
    }
    for (Resource child : resource.getChildResources()) {
      collect(child, path, out);
    }
  }

  /** Joins path templates the way Jersey matches them; {@code {name: regex}} loses its regex. */
  private static String join(String parent, String path) {
    String joined = (parent + "/" + (path == null ? "" : path)).replaceAll("/+", "/");
    joined = joined.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
    return joined.length() > 1 && joined.endsWith("/")
        ? joined.substring(0, joined.length() - 1) : joined;
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  private static void collectRefs(JsonNode node, Set<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("$ref")) {
          out.add(e.getValue().asText());
        } else {
          collectRefs(e.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }

  /** The record classes in io.vigil.api.json, read from the compiled classes directory. */
  private static Set<String> dtoClassNames() throws IOException, URISyntaxException {
    Path dir = Path.of(io.vigil.api.json.ProblemJson.class.getResource("ProblemJson.class")
        .toURI()).getParent();
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith("Json.class") && !n.contains("$"))
          .map(n -> n.substring(0, n.length() - ".class".length()))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}

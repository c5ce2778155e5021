package dev.shardpipe.query.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.uri.UriTemplateMatcher;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class CollectionRouteTest {

  // The matcher Micronaut's router builds from a route's template.
  private static final UriTemplateMatcher LIST =
      UriTemplateMatcher.of("/" + CollectionController.COLLECTION);
  private static final UriTemplateMatcher ONE =
      UriTemplateMatcher.of("/" + CollectionController.COLLECTION + "/{id}");

  @Test
  void leavesEveryStaticMappingOfTheServiceToItsResources() throws IOException {
    List<String> firstSegments = staticMappingFirstSegments();
    assertThat(firstSegments).contains("swagger", "swagger-ui", "console");
    for (String segment : firstSegments) {
      assertThat(LIST.match("/" + segment)).as(segment).isEmpty();
      assertThat(ONE.match("/" + segment + "/index.html")).as(segment).isEmpty();
    }
  }

  @Test
  void matchesAnyOtherCollectionAndTellsItsVariablesApart() {
    assertThat(LIST.match("/photos").orElseThrow().getVariableValues())
        .containsEntry("collection", "photos");
    assertThat(LIST.match("/swaggers")).isPresent();
    assertThat(LIST.match("/consoles")).isPresent();
    assertThat(
            ONE.match("/photos/0190a0b0-0000-7000-8000-000000000001")
                .orElseThrow()
                .getVariableValues())
        .containsEntry("collection", "photos")
        .containsEntry("id", "0190a0b0-0000-7000-8000-000000000001");
    assertThat(LIST.match("/photos/x/y")).isEmpty();
    assertThat(ONE.match("/photos/x/y")).isEmpty();
  }

  /** The first path segment of each micronaut.router.static-resources mapping, as /swagger/**. */
  @SuppressWarnings("unchecked")
  private static List<String> staticMappingFirstSegments() throws IOException {
    try (InputStream in =
        CollectionRouteTest.class.getClassLoader().getResourceAsStream("application.yml")) {
      Map<String, Object> config = new Yaml().load(in);
      Map<String, Object> router =
          (Map<String, Object>) ((Map<String, Object>) config.get("micronaut")).get("router");
      Map<String, Map<String, Object>> resources =
          (Map<String, Map<String, Object>>) router.get("static-resources");
      List<String> segments = new ArrayList<>();
      for (Map<String, Object> resource : resources.values()) {
        String mapping = (String) resource.get("mapping");
        segments.add(mapping.substring(1, mapping.indexOf('/', 1)));
      }
      return segments;
    }
  }
}

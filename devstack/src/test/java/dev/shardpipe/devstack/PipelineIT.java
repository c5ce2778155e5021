package dev.shardpipe.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.embedded.process.ServiceProcess;
import dev.shardpipe.testing.Sql;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline end to end on the devstack, as a user runs it: every service in its own JVM from its
 * built jar, a real broker and a real PostgreSQL. Posts over HTTP, reads back through
 * query-service, and checks with SQL where each row landed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final Placement PLACEMENT = Placement.parse(16, Placement.DEFAULT_PLACEMENT);

  @TempDir static Path dataDir;

  private static DevstackOptions options;
  private static Devstack devstack;
  private static final List<Accepted> ACCEPTED = new ArrayList<>();

  /** A 202 answer, and what was posted. */
  record Accepted(
      String type, String id, int partition, String shard, String field, String value) {}

  @BeforeAll
  static void start() throws Exception {
    options = TestDevstacks.options(dataDir);
    devstack = Devstack.start(options);
  }

  @AfterAll
  static void stop() {
    if (devstack != null) {
      devstack.close();
    }
  }

  @Test
  @Order(1)
  void storesEachPostedEventInTheShardItsPartitionIsPlacedOnAndInNoOther() throws Exception {
    String[] locations = {"europe", "usa", "asia"};
    for (String location : locations) {
      for (int owner = 1; owner <= 4; owner++) {
        String text = "hello from " + location + " by " + owner;
        JsonNode body =
            post(
                "/tweets",
                "{\"location\":\""
                    + location
                    + "\",\"owner_id\":"
                    + owner
                    + ",\"text\":\""
                    + text
                    + "\"}");
        ACCEPTED.add(accepted("tweet", body, "text", text));
      }
    }
    for (long user : new long[] {1, 42, 1000, 123456789}) {
      String name = "docs/" + user + "/report.pdf";
      JsonNode body =
          post(
              "/files",
              "{\"user_id\":"
                  + user
                  + ",\"file_name\":\""
                  + name
                  + "\",\"size_bytes\":18230,"
                  + "\"content_type\":\"application/pdf\"}");
      ACCEPTED.add(accepted("file", body, "file_name", name));
    }
    assertThat(ACCEPTED).extracting(Accepted::shard).contains("eu", "us");

    for (Accepted event : ACCEPTED) {
      assertThat(event.shard()).isEqualTo(PLACEMENT.shardOf(event.partition()));
      String path = (event.type().equals("tweet") ? "/tweets/" : "/files/") + event.id();
      JsonNode row = await().atMost(WAIT).until(() -> getOrNull(path), r -> r != null);
      assertThat(row.get(event.field()).getStringValue()).isEqualTo(event.value());
      assertThat(row.get("partition").getIntValue()).isEqualTo(event.partition());

      String table = event.type().equals("tweet") ? "tweets" : "file_metadata";
      for (String shard : PLACEMENT.shards()) {
        long rows =
            Sql.number(
                jdbcUrl(shard),
                "SELECT count(*) FROM " + table + " WHERE id = ?::uuid AND partition = ?",
                event.id(),
                event.partition());
        long anywhere =
            Sql.number(
                jdbcUrl(shard),
                "SELECT count(*) FROM " + table + " WHERE id = ?::uuid",
                event.id());
        long expected = shard.equals(event.shard()) ? 1 : 0;
        assertThat(rows)
            .as("%s %s in shard %s", event.type(), event.id(), shard)
            .isEqualTo(expected);
        assertThat(anywhere).isEqualTo(expected);
      }
    }
  }

  @Test
  @Order(2)
  void readsRoutedAndMergedListsAndStats() throws Exception {
    JsonNode routed = get("/tweets?owner_id=1&location=europe");
    assertThat(routed.get("items").size()).isEqualTo(1);
    assertThat(routed.get("items").get(0).get("text").getStringValue())
        .isEqualTo("hello from europe by 1");

    JsonNode merged = get("/tweets?limit=1000");
    assertThat(merged.get("items").size()).isEqualTo(12);

    JsonNode files = get("/files?user_id=42");
    assertThat(files.get("items").size()).isEqualTo(1);

    JsonNode stats = get("/stats");
    long tweets = 0;
    long lag = 0;
    for (JsonNode shard : stats.get("shards").values()) {
      tweets += shard.get("rows").get("tweets").getLongValue();
      lag += shard.get("lag").getLongValue();
    }
    assertThat(tweets).isEqualTo(12);
    assertThat(lag).isZero();
  }

  @Test
  @Order(3)
  void seedsTheCatalogFromTheOptionsAndRunsAWriterForEachOfItsShards() {
    CatalogSnapshot catalog = devstack.placement();

    assertThat(catalog.version()).isPositive();
    assertThat(catalog.shards()).containsExactly("eu", "us");
    assertThat(catalog.partitionsOf("eu")).isEqualTo(PLACEMENT.partitionsOf("eu"));
    assertThat(catalog.shard("us").orElseThrow().url())
        .isEqualTo("jdbc:postgresql://127.0.0.1:" + options.postgresPort() + "/shard_us");
    assertThat(devstack.services())
        .extracting(s -> s.spec().name())
        .containsExactly("writer-eu", "writer-us", "ingest-api", "query-service");
  }

  @Test
  @Order(4)
  void startsTheWriterOfAShardAddedWhileItRunsAndStopsItWhenTheShardIsRemoved() throws Exception {
    devstack
        .catalog()
        .catalog()
        .addShard(
            "c",
            "jdbc:postgresql://127.0.0.1:" + options.postgresPort() + "/shard_c",
            "europe",
            "test");

    ServiceProcess writer = await().atMost(WAIT).until(() -> devstack.writer("c"), w -> w != null);
    writer.awaitHealthy(WAIT);
    assertThat(writer.spec().port())
        .as("the next writer port")
        .isEqualTo(options.writerBasePort() + 2);

    devstack.catalog().catalog().removeShard("c", "test");

    await().atMost(WAIT).until(() -> devstack.writer("c") == null && !writer.isAlive());
    assertThat(devstack.services()).extracting(s -> s.spec().name()).doesNotContain("writer-c");
  }

  @Test
  @Order(5)
  void keepsTheDataAcrossARestartOfTheDevstackEvenWithoutACatalog() throws Exception {
    // A data directory from before the catalog: the shard databases, no shardpipe_catalog.
    try (Connection c = DriverManager.getConnection(devstack.postgres().jdbcUrl("postgres"));
        Statement drop = c.createStatement()) {
      drop.execute("DROP DATABASE " + Devstack.CATALOG_DATABASE + " WITH (FORCE)");
    }
    devstack.close();
    devstack = Devstack.start(options);
    assertThat(devstack.placement().version()).as("seeded again").isEqualTo(1);
    for (Accepted event : ACCEPTED) {
      String path = (event.type().equals("tweet") ? "/tweets/" : "/files/") + event.id();
      assertThat(getOrNull(path)).as(path).isNotNull();
    }
    JsonNode body = post("/tweets", "{\"location\":\"usa\",\"owner_id\":9,\"text\":\"after\"}");
    String id = body.get("id").getStringValue();
    await().atMost(WAIT).until(() -> getOrNull("/tweets/" + id), r -> r != null);
    assertThat(get("/tweets?limit=1000").get("items").size()).isEqualTo(13);
  }

  private static Accepted accepted(String type, JsonNode body, String field, String value) {
    return new Accepted(
        type,
        body.get("id").getStringValue(),
        body.get("partition").getIntValue(),
        body.get("shard").getStringValue(),
        field,
        value);
  }

  private static String jdbcUrl(String shard) {
    return devstack.postgres().jdbcUrl(Devstack.databaseName(shard));
  }

  /** The devstack's token of a role, as a user takes it from its tokens.json. */
  private static String token(String role) throws Exception {
    String tokens = Files.readString(devstack.auth().orElseThrow().tokensFile());
    Matcher match = Pattern.compile("\"" + role + "\": \"([^\"]+)\"").matcher(tokens);
    assertThat(match.find()).as("tokens.json holds a token for %s: %s", role, tokens).isTrue();
    return match.group(1);
  }

  private static JsonNode post(String path, String json) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + options.ingestPort() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token(Roles.INGEST))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json))
                .build(),
            BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return JSON.readValue(response.body(), JsonNode.class);
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response = query(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readValue(response.body(), JsonNode.class);
  }

  private static JsonNode getOrNull(String path) throws Exception {
    HttpResponse<String> response = query(path);
    return response.statusCode() == 200 ? JSON.readValue(response.body(), JsonNode.class) : null;
  }

  private static HttpResponse<String> query(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + options.queryPort() + path))
            .header(
                "Authorization",
                "Bearer " + token(path.startsWith("/stats") ? Roles.ADMIN : Roles.READ))
            .timeout(Duration.ofSeconds(20))
            .GET()
            .build(),
        BodyHandlers.ofString());
  }
}

package dev.shardpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.auth.SigningSecret;
import dev.shardpipe.catalog.Catalog;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.embedded.FreePort;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.TestTokens;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code shard} of a {@code 202} follows the catalog: it changes within a second of a placement
 * change, and while the catalog cannot be reached the service goes on with the last placement it
 * saw and says so in {@code /health}, without failing a request.
 */
@ExtendWith(InfrastructureExtension.class)
class PlacementIT {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final String TWEET =
      "{\"location\":\"europe\",\"owner_id\":42,\"text\":\"hello\"}";
  private static final int PARTITION = Routing.defaults().partitionForTweet("europe", 42);

  private static Infrastructure infra;
  private static String topic;
  private EmbeddedServer server;

  @BeforeAll
  static void createTheTopic(Infrastructure shared) {
    infra = shared;
    topic = Infrastructure.uniqueName("ingest_placement");
    infra.kafka().ensureTopic(topic, Routing.DEFAULT_PARTITIONS);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void namesTheShardOfTheNewestPlacementWithinASecondOfAChange() throws Exception {
    server = start(IngestServers.catalogUrl(infra));
    IngestServers.awaitCatalog(server);
    assertThat(accepted().get("shard")).isEqualTo("eu");

    Catalog catalog = server.getApplicationContext().getBean(Catalog.class);
    catalog.addShard("c", "jdbc:postgresql://127.0.0.1:1/shard_c", "europe", "test");
    Move move =
        catalog.startMove(
            PARTITION,
            "c",
            RegionPins.of(Routing.defaults(), RegionPins.DEFAULT_LOCATION_REGIONS),
            false,
            "test");
    catalog.copied(move.id(), 0L, 0);
    catalog.requestCutover(move.id());
    catalog.fenced(move.id(), 0);
    assertThat(accepted().get("shard")).as("placed on eu until the switch").isEqualTo("eu");
    catalog.switchPlacement(move.id());

    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(10))
        .untilAsserted(() -> assertThat(accepted().get("shard")).isEqualTo("c"));
  }

  @Test
  void acceptsEventsWithTheLastPlacementWhileTheCatalogIsDown() throws Exception {
    server = start("jdbc:postgresql://127.0.0.1:" + FreePort.find() + "/shardpipe_catalog");

    Map<String, Object> body = accepted();
    assertThat(body.get("partition")).isEqualTo(PARTITION);
    assertThat(body.get("shard")).as("the seed placement's shard").isEqualTo("eu");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              HttpResponse<String> health = get("/health");
              assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
              Map<String, Object> details = map(json(health.body()).get("details"));
              assertThat(map(details.get("catalog"))).containsEntry("status", "DEGRADED");
              assertThat(map(map(details.get("catalog")).get("details")))
                  .containsEntry("version", 0)
                  .containsKey("error");
              assertThat(map(details.get("kafka"))).containsEntry("status", "UP");
            });
    assertThat(accepted().get("shard")).isEqualTo("eu");
  }

  private EmbeddedServer start(String catalogUrl) {
    return ApplicationContext.run(
        EmbeddedServer.class,
        Map.of(
            "kafka.bootstrap.servers",
            infra.kafkaBootstrap(),
            "shardpipe.topic",
            topic,
            "micronaut.server.port",
            -1,
            "datasources.catalog.url",
            catalogUrl,
            SigningSecret.PROPERTY,
            TestTokens.SECRET.text()));
  }

  /** Posts the tweet of owner 42 in europe and returns its {@code 202} body. */
  private Map<String, Object> accepted() throws Exception {
    HttpResponse<String> response =
        CLIENT.send(
            HttpRequest.newBuilder(uri("/tweets"))
                .header(TestTokens.HEADER, TestTokens.authorization(Roles.INGEST))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(TWEET))
                .timeout(Duration.ofSeconds(30))
                .build(),
            BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return json(response.body());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(uri(path))
            .header(TestTokens.HEADER, TestTokens.authorization(Roles.ADMIN))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  private static Map<String, Object> json(String body) throws Exception {
    return JSON.readValue(body, Argument.mapOf(String.class, Object.class));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }
}

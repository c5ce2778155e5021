package dev.shardpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.catalog.Catalog;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.TestTokens;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /route} answers where a {@code POST} of the same event lands: the partition Kafka
 * acknowledged and the shard the {@code 202} names, for tweets and files, also after a partition
 * moved; it refuses a missing, half, ambiguous or invalid shard key, and publishes nothing.
 */
@ExtendWith(InfrastructureExtension.class)
class RouteIT {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.createDefault();

  /**
   * Unlisted locations on a range of their own, so that an answer computed with the default routing
   * instead of the service's would differ.
   */
  private static final String TWEET_LOCATIONS = "europe=0-7,usa=8-15,*=4-11";

  private static Infrastructure infra;
  private static String topic;
  private static EmbeddedServer server;

  @BeforeAll
  static void start(Infrastructure shared) throws InterruptedException {
    infra = shared;
    topic = Infrastructure.uniqueName("ingest_route");
    infra.kafka().ensureTopic(topic, Routing.DEFAULT_PARTITIONS);
    Map<String, Object> properties = IngestServers.properties(infra, topic);
    properties.put("shardpipe.tweet-locations", TWEET_LOCATIONS);
    server = IngestServers.start(properties);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void answersThePartitionAndShardWhereAPostedTweetLands() throws Exception {
    for (String location : List.of("europe", "usa", "asia", "Europe", "São Paulo", "a/b")) {
      for (long ownerId : new long[] {0, 7, 42, 1000, 123_456_789, Long.MAX_VALUE}) {
        Map<String, Object> route = route("location=" + encode(location) + "&owner_id=" + ownerId);
        Map<String, Object> accepted =
            post(
                "/tweets",
                "{\"location\":\""
                    + location
                    + "\",\"owner_id\":"
                    + ownerId
                    + ",\"text\":\"routed\"}");
        assertThat(route)
            .as("%s/%d", location, ownerId)
            .isEqualTo(where(accepted))
            .containsOnlyKeys("partition", "shard");
        if (!location.equals("europe") && !location.equals("usa")) {
          assertThat((Integer) route.get("partition"))
              .as("the service's range for unlisted locations")
              .isBetween(4, 11);
        }
      }
    }
  }

  @Test
  void answersThePartitionAndShardWhereAPostedFileLands() throws Exception {
    for (long userId : new long[] {0, 7, 42, 1000, 123_456, 123_456_789, Long.MAX_VALUE}) {
      Map<String, Object> route = route("user_id=" + userId);
      Map<String, Object> accepted =
          post("/files", "{\"user_id\":" + userId + ",\"file_name\":\"routed.txt\"}");
      assertThat(route).as("user %d", userId).isEqualTo(where(accepted));
    }
  }

  @Test
  void followsThePartitionWhenItMovesToAnotherShard() throws Exception {
    String tweet = "location=usa&owner_id=77";
    int partition = (Integer) route(tweet).get("partition");
    Catalog catalog = server.getApplicationContext().getBean(Catalog.class);
    catalog.addShard("west", "jdbc:postgresql://127.0.0.1:1/shard_west", "usa", "test");
    Move move =
        catalog.startMove(
            partition,
            "west",
            RegionPins.of(
                Routing.of(Routing.DEFAULT_PARTITIONS, TWEET_LOCATIONS),
                RegionPins.DEFAULT_LOCATION_REGIONS),
            false,
            "test");
    catalog.copied(move.id(), 0L, 0);
    catalog.requestCutover(move.id());
    catalog.fenced(move.id(), 0);
    assertThat(route(tweet)).containsEntry("shard", "us");
    catalog.switchPlacement(move.id());

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(route(tweet)).containsEntry("shard", "west"));
    assertThat(route(tweet))
        .containsEntry("partition", partition)
        .isEqualTo(
            where(post("/tweets", "{\"location\":\"usa\",\"owner_id\":77,\"text\":\"moved\"}")));
  }

  @Test
  void refusesAMissingHalfAmbiguousOrInvalidShardKeyAndPublishesNothing() throws Exception {
    long before = totalEndOffset();
    assertProblem(get("/route"), "{\"message\":\"give location and owner_id for a tweet");
    assertProblem(
        get("/route?location=europe&owner_id=1&user_id=1"),
        "{\"field\":\"user_id\",\"message\":\"must not be given with location or owner_id");
    assertProblem(
        get("/route?owner_id=1&user_id=1"), "{\"field\":\"user_id\",\"message\":\"must not be");
    assertProblem(
        get("/route?location=europe"), "{\"field\":\"owner_id\",\"message\":\"is required\"}");
    assertProblem(
        get("/route?owner_id=42"), "{\"field\":\"location\",\"message\":\"is required\"}");
    assertProblem(
        get("/route?location=europe&owner_id=-1"),
        "{\"field\":\"owner_id\",\"message\":\"must be >= 0, was -1\"}");
    assertProblem(
        get("/route?location=europe&owner_id=abc"),
        "{\"field\":\"owner_id\",\"message\":\"must be an integer\"}");
    assertProblem(
        get("/route?location=" + "x".repeat(65) + "&owner_id=1"),
        "{\"field\":\"location\",\"message\":\"must be at most 64 characters, was 65\"}");
    assertProblem(
        get("/route?location=eu%00rope&owner_id=1"), "{\"field\":\"location\",\"message\":\"must");
    assertProblem(
        get("/route?user_id=-3"), "{\"field\":\"user_id\",\"message\":\"must be >= 0, was -3\"}");
    assertProblem(
        get("/route?user_id=1.5"), "{\"field\":\"user_id\",\"message\":\"must be an integer\"}");
    assertThat(totalEndOffset()).as("nothing published").isEqualTo(before);
  }

  @Test
  void answersTheRolesThatMayPublishOnly() throws Exception {
    String path = "/route?user_id=42";
    assertThat(get(path, Roles.INGEST).statusCode()).isEqualTo(200);
    assertThat(get(path, Roles.ADMIN).statusCode()).isEqualTo(200);
    HttpResponse<String> read = get(path, Roles.READ);
    assertThat(read.statusCode()).isEqualTo(403);
    assertThat(read.body()).contains("the token's role may not GET /route");
    HttpResponse<String> anonymous =
        CLIENT.send(
            HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
            BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void documentsTheRouteInTheOpenApiDocument() throws Exception {
    HttpResponse<String> document = get("/swagger/ingest-api.yml", Roles.ADMIN);
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.body())
        .contains("/route:", "name: owner_id", "name: user_id", "#/components/schemas/Route");
  }

  private static Map<String, Object> where(Map<String, Object> accepted) {
    return Map.of("partition", accepted.get("partition"), "shard", accepted.get("shard"));
  }

  private static Map<String, Object> route(String query) throws Exception {
    HttpResponse<String> response = get("/route?" + query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return json(response.body());
  }

  private static Map<String, Object> post(String path, String body) throws Exception {
    HttpResponse<String> response =
        CLIENT.send(
            HttpRequest.newBuilder(uri(path))
                .header(TestTokens.HEADER, TestTokens.authorization(Roles.INGEST))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30))
                .build(),
            BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return json(response.body());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return get(path, Roles.INGEST);
  }

  private static HttpResponse<String> get(String path, String role) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(uri(path))
            .header(TestTokens.HEADER, TestTokens.authorization(role))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        BodyHandlers.ofString());
  }

  private static void assertProblem(HttpResponse<String> response, String error) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body())
        .contains("\"type\":\"urn:shardpipe:problem:invalid-input\"")
        .contains("\"instance\":\"/route\"")
        .contains(error);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  private static Map<String, Object> json(String body) throws Exception {
    return JSON.readValue(body, Argument.mapOf(String.class, Object.class));
  }

  private static long totalEndOffset() {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      return consumer
          .endOffsets(
              consumer.partitionsFor(topic).stream()
                  .map(p -> new TopicPartition(topic, p.partition()))
                  .toList())
          .values()
          .stream()
          .mapToLong(Long::longValue)
          .sum();
    }
  }
}

package dev.shardpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.core.token.ReadToken;
import dev.shardpipe.core.token.ReadTokenCodec;
import dev.shardpipe.store.ShardStore;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.Sql;
import dev.shardpipe.testing.TestTokens;
import dev.shardpipe.testing.TestWriter;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Backpressure from the writers and read tokens, against a real Kafka and real shards: with a small
 * {@code max-lag} and shard eu's writer stopped, events for eu's partitions are refused with {@code
 * 503 writers-behind} while us's are accepted; once eu's writer runs again and catches up they are
 * accepted again, and every event that got a {@code 202} is in its shard.
 */
@ExtendWith(InfrastructureExtension.class)
class BackpressureIT {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final Routing ROUTING = Routing.defaults();
  private static final Placement SEED =
      Placement.parse(Routing.DEFAULT_PARTITIONS, Placement.DEFAULT_PLACEMENT);
  private static final String SECRET = "backpressure-it-read-token-secret";
  private static final long MAX_LAG = 5;

  private static Infrastructure infra;
  private static String topic;
  private static String prefix;
  private static final Map<String, HikariDataSource> SHARDS = new HashMap<>();
  private static EmbeddedServer server;

  @BeforeAll
  static void start(Infrastructure shared) throws Exception {
    infra = shared;
    topic = Infrastructure.uniqueName("backpressure_events");
    prefix = Infrastructure.uniqueName("backpressure");
    infra.kafka().ensureTopic(topic, Routing.DEFAULT_PARTITIONS);
    for (String shard : SEED.shards()) {
      infra.createDatabase(prefix + "_" + shard);
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(shardUrl(shard));
      config.setUsername("postgres");
      config.setMaximumPoolSize(2);
      config.setAutoCommit(false);
      HikariDataSource dataSource = new HikariDataSource(config);
      ShardStore store = new ShardStore(dataSource, shard, topic);
      store.migrate();
      store.ensurePartitions(SEED.partitionsOf(shard));
      SHARDS.put(shard, dataSource);
    }
    Map<String, Object> properties = new HashMap<>();
    properties.put("kafka.bootstrap.servers", infra.kafkaBootstrap());
    properties.put("shardpipe.topic", topic);
    properties.put("micronaut.server.port", -1);
    properties.put("shardpipe.database.url-template", shardUrl("{shard}"));
    properties.put(
        "datasources.catalog.url",
        infra.createDatabase(Infrastructure.uniqueName("catalog")).replaceAll("\\?.*$", ""));
    properties.put("shardpipe.ingest.max-lag", MAX_LAG);
    properties.put("shardpipe.ingest.lag-refresh-interval", "200ms");
    properties.put("shardpipe.read-token-secret", SECRET);
    properties.putAll(TestTokens.serverProperties());
    server = ApplicationContext.run(EmbeddedServer.class, properties);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    SHARDS.values().forEach(HikariDataSource::close);
  }

  @Test
  void refusesEventsForAStoppedWritersPartitionsUntilItCatchesUp() throws Exception {
    long owner = 7;
    int euPartition = ROUTING.partitionForTweet("europe", owner);
    List<String> accepted = new ArrayList<>();
    try (TestWriter us = writer("us").start()) {
      // eu's writer is stopped: its partition's lag grows with every accepted event until the
      // watcher sees it over max-lag.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                HttpResponse<String> response = postTweet("europe", owner);
                if (response.statusCode() == 202) {
                  accepted.add((String) json(response.body()).get("id"));
                  return false;
                }
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                return true;
              });
      HttpResponse<String> refused = postTweet("europe", owner);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      Map<String, Object> problem = json(refused.body());
      assertThat(problem)
          .containsEntry("type", "urn:shardpipe:problem:writers-behind")
          .containsEntry("partitions", List.of(euPartition));
      assertThat(accepted.size()).isGreaterThan((int) MAX_LAG);

      // us's writer keeps up, so its events still get in, one at a time or in a batch.
      HttpResponse<String> usa = postTweet("usa", owner);
      assertThat(usa.statusCode()).as(usa.body()).isEqualTo(202);
      accepted.add((String) json(usa.body()).get("id"));

      // A batch with one item for the stopped writer is refused whole, naming its partition.
      HttpResponse<String> mixed =
          post("/tweets/batch", "[" + tweet("usa", owner + 1) + "," + tweet("europe", owner) + "]");
      assertThat(mixed.statusCode()).as(mixed.body()).isEqualTo(503);
      assertThat(json(mixed.body())).containsEntry("partitions", List.of(euPartition));

      assertThat(get("/prometheus").body())
          .contains("shardpipe_ingest_partition_lag{partition=\"" + euPartition + "\"}")
          .contains("shardpipe_ingest_events_rejected_total{reason=\"writers_behind\"");

      try (TestWriter eu = writer("eu").start()) {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  HttpResponse<String> response = postTweet("europe", owner);
                  if (response.statusCode() != 202) {
                    return false;
                  }
                  accepted.add((String) json(response.body()).get("id"));
                  return true;
                });
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  for (String id : accepted) {
                    assertThat(rows(id)).as("rows with id %s", id).isEqualTo(1);
                  }
                });
        assertThat(eu.failure()).isNull();
      }
      assertThat(us.failure()).isNull();
    }
  }

  @Test
  void givesEveryItemATokenAndTheBatchOneCoveringThemAll() throws Exception {
    ReadTokenCodec codec = new ReadTokenCodec(SECRET);
    Map<String, Object> one = json(postTweet("usa", 1_000).body());
    assertThat(codec.decode((String) one.get("token")))
        .isEqualTo(
            ReadToken.of((Integer) one.get("partition"), ((Number) one.get("offset")).longValue()));

    HttpResponse<String> response =
        post("/tweets/batch", "[" + tweet("usa", 1_001) + "," + tweet("usa", 1_002) + "]");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    Map<String, Object> batch = json(response.body());
    ReadToken covering = null;
    for (Object item : (List<?>) batch.get("results")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> result = (Map<String, Object>) item;
      ReadToken token = codec.decode((String) result.get("token"));
      covering = covering == null ? token : covering.merge(token);
    }
    assertThat(codec.decode((String) batch.get("token"))).isEqualTo(covering);
  }

  private TestWriter writer(String shard) {
    ShardStore store = new ShardStore(SHARDS.get(shard), shard, topic);
    return new TestWriter(
        infra,
        topic,
        SEED.partitionsOf(shard),
        (partition, events, expected, next) -> store.apply(partition, events, expected, next),
        partition -> store.appliedOffsets(List.of(partition)).get(partition),
        500,
        Duration.ZERO);
  }

  private static long rows(String id) {
    long rows = 0;
    for (String shard : SEED.shards()) {
      rows +=
          Sql.number(
              shardUrl(shard) + "?user=postgres",
              "SELECT count(*) FROM tweets WHERE id = ?::uuid",
              id);
    }
    return rows;
  }

  private static String tweet(String location, long owner) {
    return "{\"location\":\"" + location + "\",\"owner_id\":" + owner + ",\"text\":\"hi\"}";
  }

  private static HttpResponse<String> postTweet(String location, long owner) throws Exception {
    return post("/tweets", tweet(location, owner));
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(uri(path))
            .header(TestTokens.HEADER, TestTokens.authorization(Roles.INGEST))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(30))
            .build(),
        BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(uri(path))
            .header(TestTokens.HEADER, TestTokens.authorization(Roles.ADMIN))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  private static String shardUrl(String shard) {
    return "jdbc:postgresql://"
        + infra.postgres().host()
        + ":"
        + infra.postgres().port()
        + "/"
        + prefix
        + "_"
        + shard;
  }

  private static Map<String, Object> json(String body) throws Exception {
    return JSON.readValue(body, Argument.mapOf(String.class, Object.class));
  }
}

package dev.shardpipe.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shardpipe.catalog.Catalog;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.placement.RegionPins;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.core.token.ReadToken;
import dev.shardpipe.core.token.ReadTokenCodec;
import dev.shardpipe.core.token.ReadTokenConfiguration;
import dev.shardpipe.store.ShardStore;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.TestEvents;
import dev.shardpipe.testing.TestProducer;
import dev.shardpipe.testing.TestTokens;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * query-service while the catalog changes under it: a partition moved from shard eu to a new shard
 * c through the catalog's steps, and a shard added and removed. The shards' rows are written as
 * their writers would; the copy of the moving partition is the same events applied to c, which is
 * what the copy step leaves there.
 */
@ExtendWith(InfrastructureExtension.class)
class PlacementChangeIT {

  private static final Routing ROUTING = Routing.defaults();
  private static final Placement SEED =
      Placement.parse(Routing.DEFAULT_PARTITIONS, Placement.DEFAULT_PLACEMENT);
  private static final RegionPins PINS =
      RegionPins.of(ROUTING, RegionPins.DEFAULT_LOCATION_REGIONS);
  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The owner whose european tweets are all in the partition that moves. */
  private static final long OWNER = 5;

  private static final int MOVED = ROUTING.partitionForTweet("europe", OWNER);

  /** Events of the moving partition produced but not applied, so that it has a known lag. */
  private static final int UNAPPLIED = 2;

  private static final String READ_TOKEN_SECRET = "placement-change-it-read-tokens";
  private static final ReadTokenCodec TOKENS = new ReadTokenCodec(READ_TOKEN_SECRET);

  /**
   * How soon {@code /stats} shows a catalog change: the service sees it within a second, and {@code
   * /stats} may serve a collection up to {@code stats-max-age} (1 s) old, which itself took a while
   * on a loaded machine.
   */
  private static final Duration STATS_SEES_A_CHANGE = Duration.ofSeconds(5);

  private static Infrastructure infra;
  private static String topic;
  private static String prefix;
  private static List<Event> movedEvents;
  private static long movedNextOffset;
  private static List<String> movedIds;

  private ApplicationContext service;
  private URI base;
  private Catalog catalog;

  @BeforeAll
  static void fillShardsEuAndUs(Infrastructure shared) throws Exception {
    infra = shared;
    topic = Infrastructure.uniqueName("placement_events");
    prefix = Infrastructure.uniqueName("placement");
    infra.kafka().ensureTopic(topic, Routing.DEFAULT_PARTITIONS);
    for (String shard : List.of("eu", "us", "c")) {
      infra.createDatabase(prefix + "_" + shard);
      try (HikariDataSource dataSource = writerDataSource(shard)) {
        new ShardStore(dataSource, shard, topic).migrate();
      }
    }
    assertThat(SEED.shardOf(MOVED)).isEqualTo("eu");

    // Owner 5's european tweets are the moving partition's only rows; the others stay put.
    List<Event> events = new ArrayList<>();
    List<Long> others =
        LongStream.range(OWNER + 1, 1000)
            .filter(o -> ROUTING.partitionForTweet("europe", o) != MOVED)
            .filter(o -> ROUTING.partitionForFile(o) != MOVED)
            .limit(8)
            .boxed()
            .toList();
    for (long other : others) {
      events.add(TestEvents.tweet("europe", OWNER));
      events.add(TestEvents.tweet("europe", other));
      events.add(TestEvents.tweet("usa", OWNER));
      events.add(TestEvents.file(other));
    }
    Map<Integer, List<Event>> byPartition = new TreeMap<>();
    Map<Integer, Long> nextOffsets = new HashMap<>();
    try (TestProducer producer = new TestProducer(infra, topic)) {
      for (Event event : events) {
        RecordMetadata stored = producer.send(event);
        byPartition.computeIfAbsent(stored.partition(), p -> new ArrayList<>()).add(event);
        nextOffsets.merge(stored.partition(), stored.offset() + 1, Math::max);
      }
      for (int i = 0; i < UNAPPLIED; i++) {
        producer.send(TestEvents.tweet("europe", OWNER));
      }
    }
    for (String shard : SEED.shards()) {
      try (HikariDataSource dataSource = writerDataSource(shard)) {
        ShardStore store = new ShardStore(dataSource, shard, topic);
        for (int partition : SEED.partitionsOf(shard)) {
          List<Event> batch = byPartition.get(partition);
          if (batch != null) {
            store.apply(partition, batch, null, nextOffsets.get(partition));
          }
        }
      }
    }
    movedEvents = byPartition.get(MOVED);
    movedNextOffset = nextOffsets.get(MOVED);
    movedIds = movedEvents.stream().map(e -> e.id().toString()).sorted().toList();
    assertThat(movedEvents).as("partition %d holds more than owner %d", MOVED, OWNER).hasSize(8);
  }

  @BeforeEach
  void startTheServiceOnANewCatalog() throws Exception {
    Map<String, Object> properties =
        TestQueryService.properties(
            infra, topic, shardUrl("{shard}"), "placement-change-it-secret");
    properties.put(ReadTokenConfiguration.KEY, READ_TOKEN_SECRET);
    service = TestQueryService.start(properties);
    base = TestQueryService.uri(service);
    catalog = service.getBean(Catalog.class);
  }

  @AfterEach
  void stopTheService() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void readsAMovedPartitionFromItsNewShardWithinASecondOfTheSwitch() throws Exception {
    String routed = "/tweets?owner_id=" + OWNER + "&location=europe&limit=1000";
    assertThat(items(getJson(routed)))
        .extracting(i -> i.get("shard"))
        .hasSize(8)
        .containsOnly("eu");
    // Tokens handed out while eu owned the partition: its last applied event, and the next one.
    String appliedToken = TOKENS.encode(ReadToken.of(MOVED, movedNextOffset - 1));
    String unappliedToken = TOKENS.encode(ReadToken.of(MOVED, movedNextOffset));

    catalog.addShard("c", shardUrl("c"), "europe", "test");
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () ->
                assertThat(shardHealth())
                    .containsEntry("c", Map.of("status", "UP", "partitions", List.of())));
    assertThat(get("/prometheus").body()).contains("hikaricp_connections{pool=\"shard-c\"");

    Move move = catalog.startMove(MOVED, "c", PINS, false, "test");
    Map<String, Object> copying = awaitMoveState("copying");
    assertThat(copying)
        .containsEntry("id", (int) move.id())
        .containsEntry("partition", MOVED)
        .containsEntry("from", "eu")
        .containsEntry("to", "c")
        .containsEntry("rows_copied", 0)
        .containsEntry("lag", (int) movedNextOffset + UNAPPLIED)
        .containsKey("started_at");

    try (HikariDataSource c = writerDataSource("c")) {
      new ShardStore(c, "c", topic).apply(MOVED, movedEvents, null, movedNextOffset);
    }
    catalog.copied(move.id(), movedNextOffset, movedEvents.size());
    assertThat(awaitMoveState("catching_up"))
        .containsEntry("rows_copied", movedEvents.size())
        .containsEntry("lag", UNAPPLIED);
    assertThat(items(getJson(routed)))
        .as("the copy on c is not read before the switch")
        .extracting(i -> i.get("shard"))
        .containsOnly("eu");
    assertReadOnceFrom("eu");

    catalog.requestCutover(move.id());
    catalog.fenced(move.id(), movedNextOffset);
    Move switched = catalog.switchPlacement(move.id());
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(10))
        .untilAsserted(
            () ->
                assertThat(items(getJson(routed)))
                    .extracting(i -> i.get("shard"))
                    .hasSize(8)
                    .containsOnly("c"));
    assertReadOnceFrom("c");
    assertThat(items(getJson(routed + "&read_after=" + appliedToken)))
        .as("a token from before the move, read from the new owner, which applied its offset")
        .extracting(i -> i.get("shard"))
        .containsOnly("c");
    HttpResponse<String> waiting = get(routed + "&read_after=" + unappliedToken);
    assertThat(waiting.statusCode())
        .as("the new owner has not applied the offset either: %s", waiting.body())
        .isEqualTo(503);
    assertThat(waiting.body()).contains("not-yet-applied");

    // /stats may serve a collection up to stats-max-age (1 s) old, from before the switch.
    Map<String, Object> stats =
        await()
            .atMost(STATS_SEES_A_CHANGE)
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> getJson("/stats"),
                s -> s.get("version").equals(switched.cutoverVersion().intValue()));
    Map<String, List<Object>> partitions = new HashMap<>();
    for (Map<String, Object> shard : list(stats.get("shards"))) {
      partitions.put(
          (String) shard.get("name"),
          list(shard.get("partitions")).stream().map(p -> p.get("partition")).toList());
    }
    assertThat(partitions.get("c")).containsExactly(MOVED);
    assertThat(partitions.get("eu")).doesNotContain(MOVED).hasSize(7);
    assertThat(list(stats.get("moves")))
        .singleElement()
        .satisfies(m -> assertThat(m).containsEntry("state", "cleaning"));

    await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () ->
                assertThat(
                        catalog.readersAtLeast(switched.cutoverVersion(), Duration.ofSeconds(10)))
                    .as("the service reports the version it reads with")
                    .isTrue());
    assertThat(catalog.readersAtLeast(switched.cutoverVersion() + 1, Duration.ofSeconds(10)))
        .as("a reader is registered, and behind a version that does not exist yet")
        .isFalse();

    catalog.finish(move.id());
    await()
        .atMost(STATS_SEES_A_CHANGE)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(list(getJson("/stats").get("moves"))).isEmpty());
  }

  @Test
  void opensAPoolForAnAddedShardAndClosesItWhenTheShardIsRemoved() throws Exception {
    catalog.addShard("d", shardUrl("c"), null, "test");
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(shardHealth()).containsKey("d"));
    assertThat(get("/prometheus").body()).contains("hikaricp_connections{pool=\"shard-d\"");
    assertThat(list(getJson("/stats").get("shards")))
        .extracting(s -> s.get("name"), s -> s.get("answered"))
        .contains(tuple("d", true));

    catalog.removeShard("d", "test");
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(shardHealth()).containsOnlyKeys("eu", "us"));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(get("/prometheus").body()).doesNotContain("pool=\"shard-d\""));
    assertThat(shardHealth().get("eu")).isEqualTo(Map.of("status", "UP", "partitions", eu()));
    assertThat(items(getJson("/tweets?limit=1000"))).hasSize(3 * 8);
  }

  /** Every read path returns the moved partition's rows once each, from one shard only. */
  private void assertReadOnceFrom(String shard) throws Exception {
    List<Map<String, Object>> merged =
        items(getJson("/tweets?limit=1000")).stream()
            .filter(i -> i.get("partition").equals(MOVED))
            .toList();
    assertThat(merged).extracting(i -> i.get("shard")).containsOnly(shard);
    assertThat(merged.stream().map(i -> (String) i.get("id")).sorted().toList())
        .isEqualTo(movedIds);
    List<Map<String, Object>> europe =
        items(getJson("/tweets?location=europe&limit=1000")).stream()
            .filter(i -> i.get("partition").equals(MOVED))
            .toList();
    assertThat(europe.stream().map(i -> (String) i.get("id")).sorted().toList())
        .isEqualTo(movedIds);
    String id = movedIds.get(0);
    assertThat(getJson("/tweets/" + id)).containsEntry("shard", shard);
    assertThat(getJson("/tweets/" + id + "?owner_id=" + OWNER + "&location=europe"))
        .containsEntry("shard", shard);
  }

  private Map<String, Object> awaitMoveState(String state) {
    List<Map<String, Object>> found = new ArrayList<>();
    await()
        .atMost(STATS_SEES_A_CHANGE)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              List<Map<String, Object>> moves = list(getJson("/stats").get("moves"));
              assertThat(moves)
                  .singleElement()
                  .satisfies(m -> assertThat(m.get("state")).isEqualTo(state));
              found.clear();
              found.addAll(moves);
            });
    return found.get(0);
  }

  private static List<Integer> eu() {
    return SEED.partitionsOf("eu");
  }

  private Map<String, Object> shardHealth() throws Exception {
    Map<String, Object> health = json(get("/health"));
    return map(map(map(health.get("details")).get("shards")).get("details"));
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

  private static HikariDataSource writerDataSource(String shard) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(shardUrl(shard));
    config.setUsername("postgres");
    // Flyway holds one connection for its lock while it migrates on another.
    config.setMaximumPoolSize(2);
    // ShardStore commits its own transactions.
    config.setAutoCommit(false);
    return new HikariDataSource(config);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        TestTokens.authorized(
            HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build(),
            QueryServiceIT.roleFor(path)),
        BodyHandlers.ofString());
  }

  private Map<String, Object> getJson(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return json(response);
  }

  private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
    return JSON.readValue(response.body(), Argument.mapOf(String.class, Object.class));
  }

  private static List<Map<String, Object>> items(Map<String, Object> page) {
    return list(page.get("items"));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return (List<Map<String, Object>>) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }
}

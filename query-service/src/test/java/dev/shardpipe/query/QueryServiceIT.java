package dev.shardpipe.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.embedded.FreePort;
import dev.shardpipe.query.config.QueryConfiguration;
import dev.shardpipe.store.ShardStore;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.Sql;
import dev.shardpipe.testing.TestEvents;
import dev.shardpipe.testing.TestProducer;
import dev.shardpipe.testing.TestTokens;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

@ExtendWith(InfrastructureExtension.class)
class QueryServiceIT {

  private static final Routing ROUTING = Routing.defaults();
  private static final Placement PLACEMENT =
      Placement.parse(Routing.DEFAULT_PARTITIONS, Placement.DEFAULT_PLACEMENT);
  private static final List<String> SHARDS = List.of("eu", "us");
  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Well under HikariCP's 30 s and the driver's 10 s default connection timeouts. */
  private static final Duration UNAVAILABLE_BOUND = Duration.ofMillis(3500);

  /** One instant shared by tweets and files on both shards, so that pages must break ties by id. */
  private static final Instant TIE = Instant.parse("2026-11-21T09:00:00.123456Z");

  private static Infrastructure infra;
  private static String topic;
  private static String prefix;
  private static final Map<String, String> URLS = new LinkedHashMap<>();
  private static ApplicationContext service;
  private static URI base;
  private static ServerSocket silentServer;

  /** Events produced to Kafka but not applied, so that one partition has a known lag. */
  private static final int UNAPPLIED = 3;

  private static int unappliedPartition;

  @BeforeAll
  static void fillTwoShardsAndStartTheService(Infrastructure shared) throws Exception {
    infra = shared;
    topic = Infrastructure.uniqueName("query_events");
    prefix = Infrastructure.uniqueName("query");
    infra.kafka().ensureTopic(topic, Routing.DEFAULT_PARTITIONS);
    for (String shard : SHARDS) {
      URLS.put(shard, infra.createDatabase(prefix + "_" + shard));
    }

    List<Event> events = new ArrayList<>();
    for (String location : List.of("europe", "usa", "asia")) {
      for (long owner = 1; owner <= 6; owner++) {
        for (int i = 0; i < 5; i++) {
          events.add(TestEvents.tweet(location, owner));
        }
      }
    }
    for (int i = 0; i < 12; i++) {
      String location = List.of("europe", "usa", "asia").get(i % 3);
      events.add(TweetEvent.upsert(UUID.randomUUID(), TIE, location, 3, "same instant " + i, i));
    }
    for (long user = 1; user <= 10; user++) {
      for (int i = 0; i < 4; i++) {
        events.add(TestEvents.file(user));
      }
    }
    for (int i = 0; i < 6; i++) {
      events.add(
          FileEvent.upsert(
              UUID.randomUUID(), TIE, 20 + i, "tie/" + i, i % 2 == 0 ? null : 7L, null));
    }

    // Produce every event, as ingest-api would, then apply each partition's events to the shard
    // its partition is placed on, as that shard's writer would, with the offsets Kafka assigned.
    Map<Integer, List<Event>> byPartition = new TreeMap<>();
    Map<Integer, Long> nextOffsets = new HashMap<>();
    try (TestProducer producer = new TestProducer(infra, topic)) {
      for (Event event : events) {
        RecordMetadata stored = producer.send(event);
        assertThat(stored.partition()).isEqualTo(ROUTING.partitionFor(event));
        byPartition.computeIfAbsent(stored.partition(), p -> new ArrayList<>()).add(event);
        nextOffsets.merge(stored.partition(), stored.offset() + 1, Math::max);
      }
      unappliedPartition = ROUTING.partitionForTweet("europe", 999);
      for (int i = 0; i < UNAPPLIED; i++) {
        producer.send(TestEvents.tweet("europe", 999));
      }
    }
    for (String shard : SHARDS) {
      try (HikariDataSource dataSource = writerDataSource(URLS.get(shard))) {
        ShardStore store = new ShardStore(dataSource, shard, topic);
        store.migrate();
        // As a writer leaves its shard: a child table for every partition placed there, so that
        // rows inserted straight into the shard below have somewhere to go.
        store.ensurePartitions(PLACEMENT.partitionsOf(shard));
        for (int partition : PLACEMENT.partitionsOf(shard)) {
          List<Event> batch = byPartition.get(partition);
          if (batch != null) {
            store.apply(partition, batch, null, nextOffsets.get(partition));
          }
        }
      }
    }
    assertThat(
            count("eu", "SELECT count(*) FROM tweets") + count("us", "SELECT count(*) FROM tweets"))
        .isEqualTo(3 * 6 * 5 + 12);

    service = start(properties(template("")));
    base = baseUri(service);
  }

  @AfterAll
  static void stop() throws IOException {
    if (service != null) {
      service.close();
    }
    if (silentServer != null) {
      silentServer.close();
    }
    ShardFaults.FAULTS.clear();
  }

  @AfterEach
  void healEveryShard() {
    // Only instances started with the fault-injecting socket factory, and closed by now, see these.
    ShardFaults.FAULTS.clear();
  }

  // ---- reads ----

  @Test
  void readsAnOwnersTweetsInALocationFromTheOnePartitionTheyRouteTo() throws Exception {
    for (String location : List.of("europe", "usa", "asia")) {
      int partition = ROUTING.partitionForTweet(location, 3);
      String shard = PLACEMENT.shardOf(partition);
      Map<String, Object> page = getJson("/tweets?owner_id=3&location=" + location + "&limit=1000");
      List<Map<String, Object>> expected =
          tweetRows(
              shard,
              "WHERE owner_id = 3 AND location = ? ORDER BY occurred_at DESC, id DESC",
              location);
      assertThat(expected).hasSize(5 + 4);
      assertThat(items(page)).as(location).isEqualTo(expected);
      assertThat(items(page))
          .allSatisfy(item -> assertThat(item.get("partition")).isEqualTo(partition));
      assertThat(page.get("next_cursor")).isNull();
      assertThat(page.get("partial")).isEqualTo(false);
      assertThat(page.get("missing_shards")).isEqualTo(List.of());
    }
  }

  @Test
  void readsALocationFromTheShardsHoldingItsPartitions() throws Exception {
    assertThat(ids(getJson("/tweets?location=europe&limit=1000")))
        .isEqualTo(sqlIds("eu", "tweets", "WHERE location = 'europe'"))
        .hasSize(6 * 5 + 4);
    assertThat(ids(getJson("/tweets?location=usa&limit=1000")))
        .isEqualTo(sqlIds("us", "tweets", "WHERE location = 'usa'"));
    List<String> asia = mergedIds("tweets", "WHERE location = 'asia'");
    assertThat(asia).hasSize(6 * 5 + 4);
    assertThat(ids(getJson("/tweets?location=asia&limit=1000"))).isEqualTo(asia);
    assertThat(shardsOf(getJson("/tweets?location=asia&limit=1000"))).containsOnly("eu", "us");
  }

  @Test
  void mergesEveryShardNewestFirstWithoutALocation() throws Exception {
    Map<String, Object> all = getJson("/tweets?limit=1000");
    assertThat(ids(all)).isEqualTo(mergedIds("tweets", "")).hasSize(3 * 6 * 5 + 12);
    assertThat(items(all).get(0))
        .isEqualTo(
            tweetRows(shardOf(items(all).get(0)), "WHERE id = ?", uuid(items(all).get(0))).get(0));
    assertThat(ids(getJson("/tweets?owner_id=3&limit=1000")))
        .isEqualTo(mergedIds("tweets", "WHERE owner_id = 3"))
        .hasSize(3 * 5 + 12);
    assertThat(ids(getJson("/tweets?owner_id=424242"))).isEmpty();
  }

  @Test
  void readsAUsersFilesFromTheirShardAndAllFilesMerged() throws Exception {
    for (long user : List.of(1L, 2L, 7L, 20L, 21L)) {
      String shard = PLACEMENT.shardOf(ROUTING.partitionForFile(user));
      Map<String, Object> page = getJson("/files?user_id=" + user);
      assertThat(items(page))
          .as("user %d", user)
          .isEqualTo(fileRows(shard, "WHERE user_id = ? ORDER BY occurred_at DESC, id DESC", user));
    }
    assertThat(items(getJson("/files?user_id=21")).get(0))
        .containsEntry("size_bytes", 7)
        .containsEntry("content_type", null);
    assertThat(items(getJson("/files?user_id=20")).get(0)).containsEntry("size_bytes", null);
    assertThat(ids(getJson("/files?limit=1000")))
        .isEqualTo(mergedIds("file_metadata", ""))
        .hasSize(10 * 4 + 6);
  }

  @Test
  void usesTheDefaultLimitWhenNoneIsGiven() throws Exception {
    Map<String, Object> page = getJson("/tweets");
    assertThat(ids(page)).isEqualTo(mergedIds("tweets", "").subList(0, 50));
    assertThat(page.get("next_cursor")).isNotNull();
  }

  @Test
  void getsATweetOrAFileByIdFromWhicheverShardHoldsIt() throws Exception {
    for (String shard : SHARDS) {
      Map<String, Object> tweet =
          tweetRows(shard, "ORDER BY occurred_at DESC, id DESC LIMIT 1").get(0);
      assertThat(getJson("/tweets/" + tweet.get("id"))).isEqualTo(tweet);
      Map<String, Object> file = fileRows(shard, "ORDER BY occurred_at LIMIT 1").get(0);
      assertThat(getJson("/files/" + file.get("id"))).isEqualTo(file);
    }
  }

  @Test
  void getsATweetOrAFileByIdFromTheOneShardItsKeyRoutesTo() throws Exception {
    for (String shard : SHARDS) {
      Map<String, Object> tweet =
          tweetRows(shard, "ORDER BY occurred_at DESC, id DESC LIMIT 1").get(0);
      String key = "?owner_id=" + tweet.get("owner_id") + "&location=" + tweet.get("location");
      assertThat(getJson("/tweets/" + tweet.get("id") + key)).isEqualTo(tweet);
      assertProblem(
          get(
              base,
              "/tweets/" + tweet.get("id") + "?owner_id=424242&location=" + tweet.get("location")),
          404);
      Map<String, Object> file = fileRows(shard, "ORDER BY occurred_at LIMIT 1").get(0);
      assertThat(getJson("/files/" + file.get("id") + "?user_id=" + file.get("user_id")))
          .isEqualTo(file);
      assertProblem(get(base, "/files/" + file.get("id") + "?user_id=424242"), 404);
    }
    HttpResponse<String> halfKey = get(base, "/tweets/" + UUID.randomUUID() + "?owner_id=3");
    assertProblem(halfKey, 400);
    assertThat(json(halfKey).get("errors"))
        .isEqualTo(List.of(Map.of("field", "location", "message", "is required with owner_id")));
    assertThat(fields(get(base, "/files/" + UUID.randomUUID() + "?user_id=x")))
        .containsExactly("user_id");
  }

  @Test
  void answersAnUnknownIdWith404Problem() throws Exception {
    UUID unknown = UUID.randomUUID();
    HttpResponse<String> tweet = get(base, "/tweets/" + unknown);
    assertProblem(tweet, 404);
    assertThat(json(tweet)).containsEntry("detail", "no tweet with id " + unknown);
    assertProblem(get(base, "/files/" + unknown), 404);
    HttpResponse<String> notUuid = get(base, "/tweets/not-a-uuid");
    assertProblem(notUuid, 400);
    assertThat(json(notUuid).get("errors"))
        .isEqualTo(List.of(Map.of("field", "id", "message", "must be a UUID")));
  }

  // ---- paging ----

  @Test
  void walksEveryPageOnceInOrderWhateverTheLimit() throws Exception {
    Map<String, List<String>> lists = new LinkedHashMap<>();
    lists.put("/tweets", mergedIds("tweets", ""));
    lists.put("/tweets?location=asia", mergedIds("tweets", "WHERE location = 'asia'"));
    lists.put("/tweets?owner_id=3", mergedIds("tweets", "WHERE owner_id = 3"));
    lists.put(
        "/tweets?owner_id=3&location=usa",
        sqlIds("us", "tweets", "WHERE owner_id = 3 AND location = 'usa'"));
    lists.put("/files", mergedIds("file_metadata", ""));
    for (Map.Entry<String, List<String>> list : lists.entrySet()) {
      for (int limit : new int[] {1, 7, 50, 1000}) {
        assertThat(walk(list.getKey(), limit))
            .as("%s with limit %d", list.getKey(), limit)
            .isEqualTo(list.getValue());
      }
    }
  }

  @Test
  void walksEveryRowOnceInOrderWhileNewRowsArrive() throws Exception {
    List<String> before = mergedIds("tweets", "");
    List<String> newer = new ArrayList<>();
    List<String> older = new ArrayList<>();
    Instant future = Instant.now().plus(Duration.ofDays(1));
    Instant past = Instant.parse("2000-01-01T00:00:00Z");
    try {
      Map<String, Object> first = getJson("/tweets?limit=7");
      List<String> walked = new ArrayList<>(ids(first));
      String cursor = (String) first.get("next_cursor");
      for (int page = 1; cursor != null && page < 1000 / 7 + 3; page++) {
        // Between pages, on alternating shards: a row ahead of the walk, and one behind it, older
        // than every row so far, so that the walk cannot have passed its position yet.
        String location = page % 2 == 0 ? "europe" : "usa";
        newer.add(insertTweet(location, future.plusSeconds(page)));
        older.add(insertTweet(location, past.minusSeconds(page)));
        Map<String, Object> body =
            getJson("/tweets?limit=7&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        walked.addAll(ids(body));
        cursor = (String) body.get("next_cursor");
      }
      assertThat(cursor).isNull();
      assertThat(walked).doesNotHaveDuplicates();
      assertThat(walked.stream().filter(before::contains).toList()).isEqualTo(before);
      assertThat(walked).containsAll(older).doesNotContainAnyElementsOf(newer);
      List<String> after = mergedIds("tweets", "");
      assertThat(walked).isEqualTo(after.stream().filter(walked::contains).toList());
    } finally {
      for (String shard : SHARDS) {
        try (Connection c = DriverManager.getConnection(URLS.get(shard));
            PreparedStatement delete = c.prepareStatement("DELETE FROM tweets WHERE id = ANY(?)")) {
          List<String> added = new ArrayList<>(newer);
          added.addAll(older);
          delete.setArray(
              1, c.createArrayOf("uuid", added.stream().map(UUID::fromString).toArray()));
          delete.executeUpdate();
        }
      }
    }
  }

  // ---- bad input ----

  @Test
  void rejectsALimitOutsideOneToAThousand() throws Exception {
    for (String limit : List.of("0", "1001", "-5", "abc", "")) {
      HttpResponse<String> response = get(base, "/tweets?limit=" + limit);
      assertProblem(response, 400);
      assertThat(fields(response)).as(limit).containsExactly("limit");
    }
    assertThat(json(get(base, "/files?limit=1001")).get("errors"))
        .isEqualTo(
            List.of(
                Map.of(
                    "field", "limit", "message", "must be an integer from 1 to 1000, was 1001")));
  }

  @Test
  void rejectsAnOwnerOrUserThatIsNotANonNegativeInteger() throws Exception {
    assertThat(json(get(base, "/tweets?owner_id=abc")).get("errors"))
        .isEqualTo(List.of(Map.of("field", "owner_id", "message", "must be an integer")));
    assertThat(fields(get(base, "/tweets?owner_id=-1&location=europe")))
        .containsExactly("owner_id");
    assertThat(fields(get(base, "/files?user_id=1.5"))).containsExactly("user_id");
    assertThat(fields(get(base, "/tweets?location=" + "x".repeat(65)))).containsExactly("location");
    assertThat(fields(get(base, "/tweets?owner_id=x&limit=0")))
        .containsExactly("owner_id", "limit");
  }

  @Test
  void rejectsAMalformedTamperedOrForeignCursor() throws Exception {
    String europeCursor = (String) getJson("/tweets?location=europe&limit=2").get("next_cursor");
    assertThat(europeCursor).isNotNull();
    assertThat(getJson("/tweets?location=europe&limit=2&cursor=" + europeCursor)).isNotNull();

    byte[] bytes = Base64.getUrlDecoder().decode(europeCursor);
    bytes[5] ^= 0x10;
    String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    for (String path :
        List.of(
            "/tweets?location=europe&cursor=garbage",
            "/tweets?location=europe&cursor=" + tampered,
            "/tweets?location=usa&cursor=" + europeCursor,
            "/tweets?cursor=" + europeCursor,
            "/tweets?location=europe&owner_id=1&cursor=" + europeCursor,
            "/files?cursor=" + europeCursor)) {
      HttpResponse<String> response = get(base, path);
      assertProblem(response, 400);
      assertThat(fields(response)).as(path).containsExactly("cursor");
    }
  }

  @Test
  void acceptsACursorFromAnotherInstanceWithTheSameSecret() throws Exception {
    String cursor = (String) getJson("/tweets?limit=5").get("next_cursor");
    List<String> expected = mergedIds("tweets", "").subList(5, 10);
    try (ApplicationContext other = start(properties(template("")))) {
      HttpResponse<String> response = get(baseUri(other), "/tweets?limit=5&cursor=" + cursor);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(ids(json(response))).isEqualTo(expected);
    }
  }

  // ---- stats, health, metrics ----

  @Test
  void reportsRowsOffsetsAndLagPerShardAgainstSqlAndKafka() throws Exception {
    Map<Integer, Long> ends = kafkaEndOffsets();
    Map<String, Object> stats = getJson("/stats");
    assertThat(stats)
        .containsEntry("topic", topic)
        .containsEntry("kafka_answered", true)
        .containsEntry("partial", false)
        .containsEntry("missing_shards", List.of())
        .containsEntry("uncounted_shards", List.of());
    List<Map<String, Object>> shards = list(stats.get("shards"));
    assertThat(shards).extracting(s -> s.get("name")).containsExactly("eu", "us");
    long tweets = 0;
    long files = 0;
    long lag = 0;
    for (Map<String, Object> shard : shards) {
      String name = (String) shard.get("name");
      assertThat(shard.get("answered")).isEqualTo(true);
      long shardTweets = count(name, "SELECT count(*) FROM tweets");
      long shardFiles = count(name, "SELECT count(*) FROM file_metadata");
      assertThat(shard.get("rows"))
          .isEqualTo(Map.of("tweets", (int) shardTweets, "file_metadata", (int) shardFiles));
      tweets += shardTweets;
      files += shardFiles;
      List<Map<String, Object>> partitions = list(shard.get("partitions"));
      assertThat(partitions)
          .extracting(p -> p.get("partition"))
          .containsExactlyElementsOf(PLACEMENT.partitionsOf(name));
      long shardLag = 0;
      for (Map<String, Object> p : partitions) {
        int partition = (Integer) p.get("partition");
        long applied =
            Sql.rows(
                    URLS.get(name),
                    "SELECT next_offset FROM applied_offsets WHERE topic = ? AND partition = ?",
                    topic,
                    partition)
                .stream()
                .mapToLong(r -> (Long) r.get("next_offset"))
                .findFirst()
                .orElse(0);
        long end = ends.get(partition);
        assertThat(p)
            .as("partition %d", partition)
            .containsEntry(
                "rows",
                Map.of(
                    "tweets",
                    (int) count(name, "SELECT count(*) FROM tweets WHERE partition = " + partition),
                    "file_metadata",
                    (int)
                        count(
                            name,
                            "SELECT count(*) FROM file_metadata WHERE partition = " + partition)))
            .containsEntry("applied_offset", (int) applied)
            .containsEntry("end_offset", (int) end)
            .containsEntry("lag", (int) (end - applied));
        shardLag += end - applied;
      }
      assertThat(shard.get("lag")).isEqualTo((int) shardLag);
      lag += shardLag;
    }
    assertThat(lag).isEqualTo(UNAPPLIED);
    Map<String, Object> unapplied =
        list(shards.get(0).get("partitions")).stream()
            .filter(p -> p.get("partition").equals(unappliedPartition))
            .findFirst()
            .orElseThrow();
    assertThat(unapplied.get("lag")).isEqualTo(UNAPPLIED);
    long totalEnd = ends.values().stream().mapToLong(Long::longValue).sum();
    assertThat(stats.get("totals"))
        .isEqualTo(
            Map.of(
                "rows",
                Map.of("tweets", (int) tweets, "file_metadata", (int) files),
                "applied_offset",
                (int) (totalEnd - UNAPPLIED),
                "end_offset",
                (int) totalEnd,
                "lag",
                UNAPPLIED));
  }

  @Test
  void reportsEachShardInHealthAndServesPrometheusMetrics() throws Exception {
    for (String probe : List.of("/health", "/health/readiness")) {
      HttpResponse<String> health = get(base, probe);
      assertThat(health.statusCode()).as(probe).isEqualTo(200);
      Map<String, Object> shards = map(map(json(health).get("details")).get("shards"));
      assertThat(shards).containsEntry("status", "UP");
      for (String shard : SHARDS) {
        assertThat(map(map(shards.get("details")).get(shard)))
            .isEqualTo(Map.of("status", "UP", "partitions", PLACEMENT.partitionsOf(shard)));
      }
    }
    HttpResponse<String> liveness = get(base, "/health/liveness");
    assertThat(liveness.statusCode()).isEqualTo(200);
    assertThat(liveness.body()).doesNotContain("shards");
    getJson("/tweets?limit=1");
    HttpResponse<String> metrics = get(base, "/prometheus");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("hikaricp_connections{pool=\"shard-eu\"")
        .contains("shardpipe_query_shard_calls_seconds_count{outcome=\"ok\",shard=\"us\"")
        .contains("shardpipe_query_shard_circuit{shard=\"us\"} 0.0");
  }

  @Test
  void servesTheOpenApiDocumentAndSwaggerUiFromItsOwnAssets() throws Exception {
    HttpResponse<String> document = get(base, "/swagger/query-service.yml");
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.body())
        .contains("openapi: 3.")
        .contains("/tweets/{id}:")
        .contains("/files:")
        .contains("/stats:")
        .contains("application/problem+json");
    HttpResponse<String> page = get(base, "/swagger-ui/index.html");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("/swagger-ui/res/swagger-ui-bundle.js")
        .contains("/swagger/query-service.yml");
    assertThat(get(base, "/swagger-ui/res/swagger-ui-bundle.js").statusCode()).isEqualTo(200);
  }

  // ---- hostile input and bounded resources ----

  @Test
  void refusesANulOrALoneSurrogateInAParameterWithoutAskingAShard() throws Exception {
    Map<String, String> parameterOf = new LinkedHashMap<>();
    parameterOf.put("location=eu%00rope", "location");
    parameterOf.put("location=%ED%A0%80", "location");
    parameterOf.put("owner_id=3%00&location=usa", "owner_id");
    parameterOf.put("cursor=%00", "cursor");
    parameterOf.put("cursor=%ED%B0%80", "cursor");
    for (Map.Entry<String, String> bad : parameterOf.entrySet()) {
      HttpResponse<String> response = timed(base, "/tweets?" + bad.getKey());
      assertProblem(response, 400);
      assertThat(fields(response)).as(bad.getKey()).containsExactly(bad.getValue());
    }
    assertProblem(timed(base, "/files?user_id=%ED%A0%80"), 400);
    assertThat(getJson("/tweets?limit=1").get("partial")).isEqualTo(false);
  }

  @Test
  void refusesARequestAtOnceWhenEveryShardThreadIsBusyAndTheQueueIsFull() throws Exception {
    Map<String, Object> properties = properties(template(""));
    properties.put("shardpipe.query.executor-threads", 1);
    properties.put("shardpipe.query.executor-queue", 0);
    try (ApplicationContext small = start(properties);
        Connection lock = DriverManager.getConnection(URLS.get("us"))) {
      URI uri = baseUri(small);
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("LOCK TABLE tweets IN ACCESS EXCLUSIVE MODE");
      }
      // Holds the only thread until the lock is released.
      CompletableFuture<HttpResponse<String>> blocked =
          CompletableFuture.supplyAsync(() -> uncheckedGet(uri, "/tweets?owner_id=3&location=usa"));
      awaitLockWaiter("us");
      HttpResponse<String> refused = timed(uri, "/tweets?owner_id=3&location=europe");
      assertProblem(refused, 503);
      assertThat(json(refused))
          .containsEntry("type", "urn:shardpipe:problem:query-overloaded")
          .containsEntry(
              "detail",
              "every thread that reads the shards is busy and the queue is full; nothing of this"
                  + " request ran, so retry it after Retry-After");
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
      lock.rollback();
      assertThat(blocked.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(get(uri, "/tweets?owner_id=3&location=europe").statusCode()).isEqualTo(200);
      assertThat(get(uri, "/prometheus").body())
          .contains("shardpipe_query_refused_total{reason=\"executor-full\"} 1.0")
          .contains("executor_queued_tasks{name=\"shard-calls\"}");
    }
  }

  @Test
  void aSaturatedPoolAnswers503WithoutOpeningTheShardsCircuit() throws Exception {
    Map<String, Object> properties = properties(template(""));
    properties.put("shardpipe.query.pool-size", 1);
    properties.put("shardpipe.query.connection-timeout", "250ms");
    properties.put("shardpipe.query.query-timeout", "5s");
    String routed = "/tweets?owner_id=3&location=usa";
    try (ApplicationContext small = start(properties);
        Connection lock = DriverManager.getConnection(URLS.get("us"))) {
      URI uri = baseUri(small);
      // Opens the pool's one connection to us before it is held.
      assertThat(get(uri, routed).statusCode()).isEqualTo(200);
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("LOCK TABLE tweets IN ACCESS EXCLUSIVE MODE");
      }
      CompletableFuture<HttpResponse<String>> holder =
          CompletableFuture.supplyAsync(() -> uncheckedGet(uri, routed));
      awaitLockWaiter("us");
      for (int i = 0; i < 2 * QueryConfiguration.DEFAULT_BREAKER_FAILURES; i++) {
        HttpResponse<String> busy = timed(uri, routed);
        assertProblem(busy, 503);
        assertThat((String) json(busy).get("detail"))
            .isEqualTo(
                "cannot answer the tweets: shard us is busy: every connection to it is in use");
      }
      lock.rollback();
      assertThat(holder.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(get(uri, routed).statusCode()).isEqualTo(200);
      assertThat(get(uri, "/prometheus").body())
          .contains("shardpipe_query_shard_circuit{shard=\"us\"} 0.0")
          .contains("shardpipe_query_shard_calls_seconds_count{outcome=\"busy\",shard=\"us\"} 6");
    }
  }

  @Test
  void collectsStatsOncePerSecondHoweverManyClientsAsk() throws Exception {
    // Another test of this class may have asked for /stats just now; let that answer expire, so
    // that the burst below needs a collection of its own.
    Thread.sleep(Duration.parse("PT" + QueryConfiguration.DEFAULT_STATS_MAX_AGE).toMillis() + 100);
    double before = callsOnEu();
    List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      requests.add(CompletableFuture.supplyAsync(() -> uncheckedGet(base, "/stats")));
    }
    for (CompletableFuture<HttpResponse<String>> request : requests) {
      assertThat(request.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    // One collection asks each shard three things: applied offsets, tweets and files counted.
    // The 20 requests took well under a second, so at most two collections served them.
    assertThat(callsOnEu() - before).isBetween(3.0, 6.0);
  }

  @Test
  void finishesARequestInProgressWhenShutDown() throws Exception {
    String routed = "/tweets?owner_id=3&location=usa";
    ApplicationContext stopping = start(properties(template("")));
    URI uri = baseUri(stopping);
    CompletableFuture<Void> closed;
    CompletableFuture<HttpResponse<String>> inProgress;
    try (Connection lock = DriverManager.getConnection(URLS.get("us"))) {
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("LOCK TABLE tweets IN ACCESS EXCLUSIVE MODE");
      }
      inProgress = CompletableFuture.supplyAsync(() -> uncheckedGet(uri, routed));
      awaitLockWaiter("us");
      closed = CompletableFuture.runAsync(stopping::close);
      Thread.sleep(500);
      assertThat(closed).as("waits for the request in progress").isNotDone();
      lock.rollback();
    }
    HttpResponse<String> answered = inProgress.get(10, TimeUnit.SECONDS);
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(ids(json(answered))).isNotEmpty();
    closed.get(20, TimeUnit.SECONDS);
  }

  // ---- unavailable shards ----

  @Test
  void answersFromTheOtherShardWhenOneRefusesConnections() throws Exception {
    try (ApplicationContext faulty = startWithUsDown(ShardFaults.Fault.REFUSE)) {
      assertAnswersWithoutUs(baseUri(faulty), "cannot be reached");
    }
  }

  @Test
  void givesUpOnAShardThatAcceptsConnectionsButNeverAnswers() throws Exception {
    try (ApplicationContext faulty = startWithUsDown(ShardFaults.Fault.SILENT)) {
      assertAnswersWithoutUs(baseUri(faulty), null);
    }
  }

  @Test
  void givesUpOnAShardWhoseQueryOutlivesTheQueryTimeout() throws Exception {
    try (Connection lock = DriverManager.getConnection(URLS.get("us"))) {
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("LOCK TABLE tweets IN ACCESS EXCLUSIVE MODE");
      }
      long started = System.nanoTime();
      HttpResponse<String> merged = get(base, "/tweets?limit=1000");
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(merged.statusCode()).isEqualTo(200);
      assertThat(json(merged))
          .containsEntry("partial", true)
          .containsEntry("missing_shards", List.of("us"));
      assertThat(ids(json(merged))).isEqualTo(sqlIds("eu", "tweets", ""));
      // The default query timeout is 2 s; the request waits that long and not much longer.
      assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(3500));
      lock.rollback();
    }
    assertThat(getJson("/tweets?limit=1000").get("partial")).isEqualTo(false);
  }

  @Test
  void skipsAShardWhoseCircuitIsOpenAndLogsOnlyTheChanges() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger queryLogger = (Logger) LoggerFactory.getLogger("dev.shardpipe.query");
    log.start();
    queryLogger.addAppender(log);
    String routed = "/tweets?owner_id=3&location=usa";
    try (ApplicationContext faulty =
        startWithUsDown(ShardFaults.Fault.REFUSE, Map.of("shardpipe.query.breaker-delay", "2s"))) {
      URI uri = baseUri(faulty);
      for (int i = 0; i < QueryConfiguration.DEFAULT_BREAKER_FAILURES; i++) {
        assertThat((String) json(timed(uri, routed)).get("detail")).endsWith("cannot be reached");
      }
      List<String> warningsWhileFailing = warningsAboutUs(log);
      assertThat(warningsWhileFailing.get(warningsWhileFailing.size() - 1))
          .startsWith("shard [us] circuit open");

      for (int i = 0; i < 5; i++) {
        HttpResponse<String> skipped = get(uri, routed);
        assertProblem(skipped, 503);
        assertThat(json(skipped))
            .containsEntry(
                "detail",
                "cannot answer the tweets: shard us is skipped while it keeps failing (circuit"
                    + " breaker open)");
        assertThat(json(get(uri, "/tweets?limit=5")))
            .containsEntry("missing_shards", List.of("us"));
      }
      assertThat(warningsAboutUs(log)).isEqualTo(warningsWhileFailing);
      assertThat(get(uri, "/prometheus").body())
          .contains("shardpipe_query_shard_circuit{shard=\"us\"} 2.0")
          .contains("shardpipe_query_shard_calls_seconds_count{outcome=\"open\",shard=\"us\"");

      ShardFaults.FAULTS.clear();
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> get(uri, routed).statusCode() == 200);
      assertThat(get(uri, "/prometheus").body())
          .contains("shardpipe_query_shard_circuit{shard=\"us\"} 0.0");
      assertThat(log.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .contains("shard [us] circuit closed: it answers again");
    } finally {
      queryLogger.detachAppender(log);
    }
  }

  @Test
  void treatsAShardDatabaseThatNoLongerAllowsConnectionsAsMissing() throws Exception {
    Map<String, Object> properties = properties(template(""));
    properties.put("shardpipe.query.breaker-delay", "1s");
    String usDatabase = prefix + "_us";
    try (ApplicationContext other = start(properties)) {
      URI uri = baseUri(other);
      assertThat(json(get(uri, "/tweets?limit=1000"))).containsEntry("partial", false);
      try {
        onServer("ALTER DATABASE " + usDatabase + " WITH ALLOW_CONNECTIONS false");
        onServer(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + usDatabase
                + "'");
        HttpResponse<String> merged = timed(uri, "/tweets?limit=1000");
        assertThat(merged.statusCode()).isEqualTo(200);
        assertThat(json(merged))
            .containsEntry("partial", true)
            .containsEntry("missing_shards", List.of("us"));
        assertThat(ids(json(merged))).isEqualTo(sqlIds("eu", "tweets", ""));
        HttpResponse<String> routed = timed(uri, "/files?user_id=" + userOn("us"));
        assertProblem(routed, 503);
        assertThat(json(routed)).containsEntry("shard", "us");
      } finally {
        onServer("ALTER DATABASE " + usDatabase + " WITH ALLOW_CONNECTIONS true");
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> json(get(uri, "/tweets?limit=1000")).get("partial").equals(false));
    }
  }

  @Test
  void reportsOffsetsAndLagWhileAShardsRowsCannotBeCountedInTime() throws Exception {
    Map<String, Object> properties = properties(template(""));
    properties.put("shardpipe.query.stats-timeout", "1s");
    long totalEnd = kafkaEndOffsets().values().stream().mapToLong(Long::longValue).sum();
    try (ApplicationContext other = start(properties);
        Connection lock = DriverManager.getConnection(URLS.get("us"))) {
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("LOCK TABLE file_metadata IN ACCESS EXCLUSIVE MODE");
      }
      Map<String, Object> stats = json(timed(baseUri(other), "/stats"));
      lock.rollback();
      assertThat(stats)
          .containsEntry("kafka_answered", true)
          .containsEntry("partial", true)
          .containsEntry("missing_shards", List.of())
          .containsEntry("uncounted_shards", List.of("us"));
      Map<String, Object> us = list(stats.get("shards")).get(1);
      assertThat(us)
          .containsEntry("answered", true)
          .containsEntry("rows", null)
          .containsEntry("lag", 0);
      assertThat(list(us.get("partitions")))
          .allSatisfy(p -> assertThat(p).containsEntry("rows", null).containsEntry("lag", 0));
      assertThat(list(stats.get("shards")).get(0).get("rows")).isNotNull();
      assertThat(map(stats.get("totals")))
          .containsEntry("rows", null)
          .containsEntry("applied_offset", (int) (totalEnd - UNAPPLIED))
          .containsEntry("lag", UNAPPLIED);
    }
  }

  @Test
  void closesItsKafkaAdminClientWhenKafkaDoesNotAnswer() throws Exception {
    Map<String, Object> properties = properties(template(""));
    properties.put("kafka.bootstrap.servers", "127.0.0.1:" + FreePort.find());
    String clientId = Infrastructure.uniqueName("query-it-no-kafka");
    properties.put("kafka.client.id", clientId);
    try (ApplicationContext noKafka = start(properties)) {
      Map<String, Object> stats = json(timed(baseUri(noKafka), "/stats"));
      assertThat(stats)
          .containsEntry("kafka_answered", false)
          .containsEntry("partial", true)
          .containsEntry("missing_shards", List.of())
          .containsEntry("uncounted_shards", List.of());
      assertThat(map(stats.get("totals")))
          .containsEntry("end_offset", null)
          .containsEntry("lag", null)
          .doesNotContainEntry("rows", null);
      // An admin client left open would reconnect, and log a warning, about once a second.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Thread.getAllStackTraces().keySet().stream()
                      .noneMatch(t -> t.getName().contains(clientId)));
    }
  }

  private static void assertAnswersWithoutUs(URI service, String reason) throws Exception {
    int usPartition = ROUTING.partitionForTweet("usa", 3);
    assertThat(PLACEMENT.shardOf(usPartition)).isEqualTo("us");

    HttpResponse<String> routed = timed(service, "/tweets?owner_id=3&location=usa");
    assertProblem(routed, 503);
    Map<String, Object> problem = json(routed);
    assertThat(problem)
        .containsEntry("type", "urn:shardpipe:problem:shard-unavailable")
        .containsEntry("shard", "us")
        .containsEntry("missing_shards", List.of("us"));
    assertThat((String) problem.get("detail")).startsWith("cannot answer the tweets: shard us ");
    if (reason != null) {
      assertThat((String) problem.get("detail")).endsWith(reason);
    }
    assertThat(routed.headers().firstValue("Retry-After")).hasValue("5");
    assertProblem(timed(service, "/files?user_id=" + userOn("us")), 503);

    HttpResponse<String> merged = timed(service, "/tweets?limit=1000");
    assertThat(merged.statusCode()).isEqualTo(200);
    assertThat(json(merged))
        .containsEntry("partial", true)
        .containsEntry("missing_shards", List.of("us"));
    assertThat(ids(json(merged))).isEqualTo(sqlIds("eu", "tweets", ""));
    HttpResponse<String> europe = timed(service, "/tweets?location=europe&limit=1000");
    assertThat(json(europe)).containsEntry("partial", false);

    String euTweet = sqlIds("eu", "tweets", "").get(0);
    assertThat(timed(service, "/tweets/" + euTweet).statusCode()).isEqualTo(200);
    HttpResponse<String> unknown = timed(service, "/tweets/" + UUID.randomUUID());
    assertProblem(unknown, 503);
    assertThat(json(unknown)).containsEntry("shard", "us");

    HttpResponse<String> stats = timed(service, "/stats");
    assertThat(stats.statusCode()).isEqualTo(200);
    Map<String, Object> body = json(stats);
    assertThat(body)
        .containsEntry("partial", true)
        .containsEntry("missing_shards", List.of("us"))
        .containsEntry("uncounted_shards", List.of("us"));
    Map<String, Object> us = list(body.get("shards")).get(1);
    assertThat(us)
        .containsEntry("name", "us")
        .containsEntry("answered", false)
        .containsEntry("rows", null)
        .containsEntry("lag", null);
    assertThat(list(us.get("partitions")).get(0)).containsEntry("applied_offset", null);
    // Totals that would need shard us are unknown, not smaller.
    assertThat(map(body.get("totals")))
        .containsEntry("rows", null)
        .containsEntry("applied_offset", null)
        .containsEntry("lag", null);
    assertThat(map(list(body.get("shards")).get(0))).containsEntry("answered", true);

    for (String probe : List.of("/health", "/health/readiness")) {
      HttpResponse<String> health = timed(service, probe);
      assertThat(health.statusCode()).as(probe).isEqualTo(200);
      Map<String, Object> shards = map(map(json(health).get("details")).get("shards"));
      assertThat(shards).containsEntry("status", "UP");
      assertThat(map(map(shards.get("details")).get("eu"))).containsEntry("status", "UP");
      assertThat(map(map(shards.get("details")).get("us")))
          .containsEntry("status", "DOWN")
          .containsKey("error")
          .containsEntry("partitions", PLACEMENT.partitionsOf("us"));
    }
    assertThat(timed(service, "/health/liveness").statusCode()).isEqualTo(200);

    // A lookup routed to shard eu does not need shard us: an unknown id there is a plain 404.
    HttpResponse<String> routedUnknown =
        timed(service, "/tweets/" + UUID.randomUUID() + "?owner_id=3&location=europe");
    assertProblem(routedUnknown, 404);
  }

  // ---- start-up ----

  @Test
  void refusesToStartWithAnInvalidSetting() {
    Map<String, Object> properties = properties(template(""));
    properties.put("shardpipe.query.max-limit", "0");
    assertThatThrownBy(() -> start(properties))
        .rootCause()
        .hasMessage("shardpipe.query.max-limit must be at least 1, was 0");
  }

  // ---- helpers: the service ----

  private static String template(String parameters) {
    return "jdbc:postgresql://"
        + infra.postgres().host()
        + ":"
        + infra.postgres().port()
        + "/"
        + prefix
        + "_{shard}"
        + parameters;
  }

  private static Map<String, Object> properties(String urlTemplate) {
    return TestQueryService.properties(infra, topic, urlTemplate, "query-service-it-secret");
  }

  private static ApplicationContext start(Map<String, Object> properties) {
    return TestQueryService.start(properties);
  }

  private static URI baseUri(ApplicationContext context) {
    return TestQueryService.uri(context);
  }

  /**
   * A second instance on the same shards, whose connections to shard us meet the fault. A new
   * instance per fault, so that no pooled connection from a healthy moment survives into the test.
   */
  private static ApplicationContext startWithUsDown(ShardFaults.Fault fault) throws IOException {
    return startWithUsDown(fault, Map.of());
  }

  private static ApplicationContext startWithUsDown(
      ShardFaults.Fault fault, Map<String, Object> more) throws IOException {
    if (silentServer == null) {
      silentServer = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
      ShardFaults.silentPort = silentServer.getLocalPort();
    }
    ShardFaults.refusingPort = FreePort.find();
    ShardFaults.FAULTS.put(prefix + "_us", fault);
    Map<String, Object> properties =
        properties(template("?socketFactory=" + ShardFaults.class.getName()));
    properties.putAll(more);
    return start(properties);
  }

  private static HikariDataSource writerDataSource(String url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    // Flyway holds one connection for its lock while it migrates on another.
    config.setMaximumPoolSize(2);
    // ShardStore commits its own transactions.
    config.setAutoCommit(false);
    return new HikariDataSource(config);
  }

  /** Inserts a tweet of owner 3 straight into the shard its partition is placed on. */
  private static String insertTweet(String location, Instant occurredAt) throws Exception {
    UUID id = UUID.randomUUID();
    int partition = ROUTING.partitionForTweet(location, 3);
    try (Connection c = DriverManager.getConnection(URLS.get(PLACEMENT.shardOf(partition)));
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO tweets (id, location, owner_id, text, like_count, occurred_at,"
                    + " partition) VALUES (?, ?, 3, 'arrived during a walk', 0, ?, ?)")) {
      insert.setObject(1, id);
      insert.setString(2, location);
      insert.setTimestamp(3, Timestamp.from(occurredAt));
      insert.setInt(4, partition);
      insert.executeUpdate();
    }
    return id.toString();
  }

  /** Runs a statement on the server's maintenance database, as an operator would in psql. */
  private static void onServer(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(infra.postgres().jdbcUrl("postgres"));
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static List<String> warningsAboutUs(ListAppender<ILoggingEvent> log) {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("shard [us]"))
        .toList();
  }

  // ---- helpers: HTTP ----

  private static HttpResponse<String> uncheckedGet(URI service, String path) {
    try {
      return get(service, path);
    } catch (Exception e) {
      throw new IllegalStateException("GET " + path, e);
    }
  }

  /** Waits until a statement on the shard waits for a lock, as a blocked read does. */
  private static void awaitLockWaiter(String shard) {
    String database = prefix + "_" + shard;
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              try (Connection c =
                      DriverManager.getConnection(infra.postgres().jdbcUrl("postgres"));
                  PreparedStatement q =
                      c.prepareStatement(
                          "SELECT count(*) FROM pg_stat_activity WHERE datname = ?"
                              + " AND wait_event_type = 'Lock'")) {
                q.setString(1, database);
                try (var rs = q.executeQuery()) {
                  rs.next();
                  return rs.getLong(1) > 0;
                }
              }
            });
  }

  /** Calls made to shard eu so far, whatever their outcome, from the shared instance. */
  private static double callsOnEu() throws Exception {
    return get(base, "/prometheus")
        .body()
        .lines()
        .filter(l -> l.startsWith("shardpipe_query_shard_calls_seconds_count{"))
        .filter(l -> l.contains("shard=\"eu\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static HttpResponse<String> get(URI service, String path) throws Exception {
    return HTTP.send(
        TestTokens.authorized(
            HttpRequest.newBuilder(service.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build(),
            roleFor(path)),
        BodyHandlers.ofString());
  }

  /** The role a user would send for a path: admin for the admin-only ones, else read. */
  static String roleFor(String path) {
    return path.startsWith("/stats")
            || path.startsWith("/prometheus")
            || path.startsWith("/swagger")
            || path.startsWith("/health")
        ? Roles.ADMIN
        : Roles.READ;
  }

  private static HttpResponse<String> timed(URI service, String path) throws Exception {
    long started = System.nanoTime();
    HttpResponse<String> response = get(service, path);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("GET %s", path)
        .isLessThan(UNAVAILABLE_BOUND);
    return response;
  }

  private static Map<String, Object> getJson(String path) throws Exception {
    HttpResponse<String> response = get(base, path);
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return json(response);
  }

  private static Map<String, Object> json(HttpResponse<String> response) throws IOException {
    return JSON.readValue(response.body(), Argument.mapOf(String.class, Object.class));
  }

  private static void assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("\"status\":" + status).doesNotContain("Exception");
  }

  private static List<String> fields(HttpResponse<String> response) throws IOException {
    return list(json(response).get("errors")).stream().map(e -> (String) e.get("field")).toList();
  }

  /** Follows next_cursor from the first page to the last, within a bounded number of pages. */
  private static List<String> walk(String path, int limit) throws Exception {
    String separator = path.contains("?") ? "&" : "?";
    List<String> ids = new ArrayList<>();
    String cursor = null;
    int maxPages = 1500 / limit + 2;
    for (int page = 0; page < maxPages; page++) {
      Map<String, Object> body =
          getJson(
              path
                  + separator
                  + "limit="
                  + limit
                  + (cursor == null
                      ? ""
                      : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
      List<String> pageIds = ids(body);
      ids.addAll(pageIds);
      cursor = (String) body.get("next_cursor");
      if (cursor == null) {
        assertThat(pageIds.size()).isLessThanOrEqualTo(limit);
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        return ids;
      }
      assertThat(pageIds).hasSize(limit);
    }
    throw new AssertionError(path + " did not end within " + maxPages + " pages");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return (List<Map<String, Object>>) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private static List<Map<String, Object>> items(Map<String, Object> page) {
    return list(page.get("items"));
  }

  private static List<String> ids(Map<String, Object> page) {
    return items(page).stream().map(i -> (String) i.get("id")).toList();
  }

  private static List<String> shardsOf(Map<String, Object> page) {
    return items(page).stream().map(QueryServiceIT::shardOf).distinct().toList();
  }

  private static String shardOf(Map<String, Object> item) {
    return (String) item.get("shard");
  }

  private static UUID uuid(Map<String, Object> item) {
    return UUID.fromString((String) item.get("id"));
  }

  private static long userOn(String shard) {
    for (long user = 1; user <= 10; user++) {
      if (PLACEMENT.shardOf(ROUTING.partitionForFile(user)).equals(shard)) {
        return user;
      }
    }
    throw new AssertionError("no test user on shard " + shard);
  }

  // ---- helpers: ground truth ----

  private static long count(String shard, String sql) {
    return Sql.number(URLS.get(shard), sql);
  }

  /** The rows as the API should render them: the same fields, instants in RFC 3339. */
  private static List<Map<String, Object>> tweetRows(String shard, String where, Object... params) {
    return render(
        shard,
        Sql.rows(
            URLS.get(shard),
            "SELECT id, location, owner_id, text, like_count, occurred_at, partition, ingested_at"
                + " FROM tweets "
                + where,
            params));
  }

  private static List<Map<String, Object>> fileRows(String shard, String where, Object... params) {
    return render(
        shard,
        Sql.rows(
            URLS.get(shard),
            "SELECT id, user_id, file_name, size_bytes, content_type, occurred_at, partition,"
                + " ingested_at FROM file_metadata "
                + where,
            params));
  }

  private static List<Map<String, Object>> render(String shard, List<Map<String, Object>> rows) {
    List<Map<String, Object>> rendered = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Map<String, Object> item = new HashMap<>();
      row.forEach(
          (column, value) -> {
            Object json = value;
            if (value instanceof UUID) {
              json = value.toString();
            } else if (value instanceof Timestamp time) {
              json = time.toInstant().toString();
            } else if (value instanceof Long number && number <= Integer.MAX_VALUE) {
              // The JSON reader gives back an Integer for a small number.
              json = number.intValue();
            }
            item.put(column, json);
          });
      item.put("shard", shard);
      rendered.add(item);
    }
    return rendered;
  }

  private static List<String> sqlIds(String shard, String table, String where) {
    return Sql.rows(
            URLS.get(shard),
            "SELECT id FROM " + table + " " + where + " ORDER BY occurred_at DESC, id DESC")
        .stream()
        .map(r -> r.get("id").toString())
        .toList();
  }

  /**
   * Every shard's matching ids in newest-first order, sorted by PostgreSQL itself rather than by
   * the code under test, so that the expected tie order on equal instants is the database's.
   */
  private static List<String> mergedIds(String table, String where) {
    List<String> times = new ArrayList<>();
    List<UUID> ids = new ArrayList<>();
    for (String shard : SHARDS) {
      for (Map<String, Object> row :
          Sql.rows(URLS.get(shard), "SELECT occurred_at, id FROM " + table + " " + where)) {
        times.add(((Timestamp) row.get("occurred_at")).toInstant().toString());
        ids.add((UUID) row.get("id"));
      }
    }
    return Sql.rows(
            URLS.get("eu"),
            "SELECT id FROM unnest(?::text[]::timestamptz[], ?::uuid[]) AS t(occurred_at, id)"
                + " ORDER BY occurred_at DESC, id DESC",
            times.toArray(String[]::new),
            ids.toArray(UUID[]::new))
        .stream()
        .map(r -> r.get("id").toString())
        .collect(Collectors.toList());
  }

  private static Map<Integer, Long> kafkaEndOffsets() {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < Routing.DEFAULT_PARTITIONS; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      Map<Integer, Long> ends = new HashMap<>();
      consumer.endOffsets(partitions).forEach((tp, end) -> ends.put(tp.partition(), end));
      return ends;
    }
  }
}

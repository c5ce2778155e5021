package dev.shardpipe.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shardpipe.auth.Roles;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.core.routing.ShardKeyPartitioner;
import dev.shardpipe.core.token.ReadToken;
import dev.shardpipe.core.token.ReadTokenCodec;
import dev.shardpipe.store.ShardStore;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.TestEvents;
import dev.shardpipe.testing.TestTokens;
import dev.shardpipe.testing.TestWriter;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code read_after} against a real Kafka and real shards, with writers that apply the topic
 * through the shard store as slowly as a busy writer would: every write read back at once with its
 * token is found, a token whose writer is stopped answers {@code 503 not-yet-applied} after the
 * timeout and the same read succeeds once the writer runs, and a forged token is a {@code 400}.
 *
 * <p>The tokens are signed here with the shared secret from where Kafka stored each event, exactly
 * what ingest-api puts in its {@code 202} (its own ITs check that).
 */
@ExtendWith(InfrastructureExtension.class)
class ReadAfterIT {

  private static final Placement SEED =
      Placement.parse(Routing.DEFAULT_PARTITIONS, Placement.DEFAULT_PLACEMENT);
  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final EventCodec CODEC = new EventCodec(JSON);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String SECRET = "read-after-it-read-token-secret";
  private static final ReadTokenCodec TOKENS = new ReadTokenCodec(SECRET);
  private static final int CONCURRENT_READS = 20;

  private static Infrastructure infra;
  private static String topic;
  private static String prefix;
  private static final Map<String, HikariDataSource> SHARDS = new HashMap<>();
  private static ApplicationContext service;
  private static URI base;
  private static KafkaProducer<String, byte[]> producer;

  @BeforeAll
  static void start(Infrastructure shared) throws Exception {
    infra = shared;
    topic = Infrastructure.uniqueName("read_after_events");
    prefix = Infrastructure.uniqueName("read_after");
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
    Map<String, Object> properties =
        TestQueryService.properties(
            infra, topic, shardUrl("{shard}"), "read-after-it-cursor-secret");
    properties.put("shardpipe.read-token-secret", SECRET);
    properties.put("shardpipe.query.read-after-timeout", "2s");
    service = TestQueryService.start(properties);
    base = TestQueryService.uri(service);
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infra.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                1,
                ProducerConfig.PARTITIONER_CLASS_CONFIG,
                ShardKeyPartitioner.class.getName()),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  @AfterAll
  static void stop() {
    if (producer != null) {
      producer.close();
    }
    if (service != null) {
      service.close();
    }
    SHARDS.values().forEach(HikariDataSource::close);
  }

  @Test
  void readsEveryWriteBackAtOnceWithItsTokenWhileTheWritersLag() throws Exception {
    int batches = 100;
    int perBatch = 100;
    int misses = 0;
    Map<Integer, Integer> missed = new TreeMap<>();
    // Slowed writers: 50 records per poll and a pause after each, so reads arrive well before
    // their rows.
    try (TestWriter eu = writer("eu", 50, Duration.ofMillis(20)).start();
        TestWriter us = writer("us", 50, Duration.ofMillis(20)).start()) {
      for (int b = 0; b < batches; b++) {
        List<TweetEvent> events = new ArrayList<>();
        for (int i = 0; i < perBatch; i++) {
          long owner = b * perBatch + i;
          events.add(TestEvents.tweet(i % 2 == 0 ? "europe" : "usa", owner));
        }
        ReadToken batchToken = null;
        for (RecordMetadata stored : publish(events)) {
          ReadToken token = ReadToken.of(stored.partition(), stored.offset());
          batchToken = batchToken == null ? token : batchToken.merge(token);
        }
        String token = TOKENS.encode(batchToken);
        // A client's reads in flight at once: the service answers more than its shard executor
        // can take (threads plus queue) with 503 query-overloaded by design.
        for (int from = 0; from < events.size(); from += CONCURRENT_READS) {
          List<TweetEvent> window =
              events.subList(from, Math.min(events.size(), from + CONCURRENT_READS));
          misses += readBack(window, token, missed);
        }
      }
      assertThat(eu.failure()).isNull();
      assertThat(us.failure()).isNull();
    }
    assertThat(misses).as("reads that did not find their write: %s", missed).isZero();
  }

  /** Reads events back by id at once, all with the token; returns how many were not found. */
  private static int readBack(List<TweetEvent> events, String token, Map<Integer, Integer> missed) {
    int misses = 0;
    List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
    for (TweetEvent event : events) {
      reads.add(
          getAsync(
              "/tweets/"
                  + event.id()
                  + "?owner_id="
                  + event.data().ownerId()
                  + "&location="
                  + event.data().location()
                  + "&read_after="
                  + token));
    }
    for (int i = 0; i < reads.size(); i++) {
      HttpResponse<String> response = reads.get(i).join();
      if (response.statusCode() != 200
          || !response.body().contains(events.get(i).id().toString())) {
        misses++;
        missed.merge(response.statusCode(), 1, Integer::sum);
      }
    }
    return misses;
  }

  @Test
  void answersNotYetAppliedWhileTheWriterIsStoppedAndTheRowOnceItRuns() throws Exception {
    TweetEvent event = TestEvents.tweet("europe", 424_242);
    RecordMetadata stored = publish(List.of(event)).get(0);
    String token = TOKENS.encode(ReadToken.of(stored.partition(), stored.offset()));
    String path =
        "/tweets?owner_id=424242&location=europe&read_after="
            + URLEncoder.encode(token, StandardCharsets.UTF_8);

    long started = System.nanoTime();
    HttpResponse<String> waited = get(path);
    long waitedMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(waited.statusCode()).as(waited.body()).isEqualTo(503);
    assertThat(waitedMillis).isBetween(1_900L, 10_000L);
    assertThat(waited.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(json(waited.body()))
        .containsEntry("type", "urn:shardpipe:problem:not-yet-applied")
        .containsEntry("partitions", List.of(stored.partition()));

    try (TestWriter eu = writer("eu", 500, Duration.ZERO).start()) {
      HttpResponse<String> read = get(path);
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
      assertThat(items(json(read.body())))
          .extracting(item -> item.get("id"))
          .containsExactly(event.id().toString());
      // The header carries the same token; the file reads take it as the tweet reads do.
      HttpResponse<String> byHeader =
          HTTP.send(
              HttpRequest.newBuilder(base.resolve("/files?limit=1"))
                  .header("Shardpipe-Read-After", token)
                  .header(TestTokens.HEADER, TestTokens.authorization(Roles.READ))
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build(),
              BodyHandlers.ofString());
      assertThat(byHeader.statusCode()).as(byHeader.body()).isEqualTo(200);
    }
  }

  @Test
  void refusesAForgedOrMalformedTokenWith400() throws Exception {
    String forged = new ReadTokenCodec("some-other-secret-entirely").encode(ReadToken.of(1, 0));
    for (String token : List.of(forged, "not-a-token")) {
      HttpResponse<String> response =
          get("/tweets/" + java.util.UUID.randomUUID() + "?read_after=" + token);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      assertThat(response.body()).contains("read_after");
    }
  }

  private static List<RecordMetadata> publish(List<TweetEvent> events) throws Exception {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (TweetEvent event : events) {
      sent.add(producer.send(new ProducerRecord<>(topic, event.shardKey(), CODEC.encode(event))));
    }
    List<RecordMetadata> stored = new ArrayList<>();
    for (Future<RecordMetadata> future : sent) {
      stored.add(future.get());
    }
    return stored;
  }

  private static TestWriter writer(String shard, int maxPollRecords, Duration pause) {
    ShardStore store = new ShardStore(SHARDS.get(shard), shard, topic);
    return new TestWriter(
        infra,
        topic,
        SEED.partitionsOf(shard),
        (partition, events, expected, next) -> store.apply(partition, events, expected, next),
        partition -> store.appliedOffsets(List.of(partition)).get(partition),
        maxPollRecords,
        pause);
  }

  private static CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return HTTP.sendAsync(
        TestTokens.authorized(
            HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build(),
            QueryServiceIT.roleFor(path)),
        BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return getAsync(path).get();
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

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(Map<String, Object> page) {
    return (List<Map<String, Object>>) page.get("items");
  }
}

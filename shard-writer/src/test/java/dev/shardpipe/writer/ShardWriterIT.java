package dev.shardpipe.writer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.Sql;
import dev.shardpipe.testing.TestEvents;
import dev.shardpipe.testing.TestProducer;
import dev.shardpipe.writer.consume.ShardWriter;
import dev.shardpipe.writer.metrics.WriterMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfrastructureExtension.class)
class ShardWriterIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Routing ROUTING = Routing.defaults();

  private static Infrastructure infra;

  private final List<ApplicationContext> writers = new ArrayList<>();
  private String topic;
  private String dlqTopic;
  private String prefix;
  private String euUrl;
  private String usUrl;

  @BeforeAll
  static void shareInfrastructure(Infrastructure shared) {
    infra = shared;
  }

  /** Each test has its own topics and shard databases, so that counts and metrics are its own. */
  @BeforeEach
  void createTopicsAndDatabases() {
    topic = Infrastructure.uniqueName("events");
    dlqTopic = topic + ".dlq";
    prefix = Infrastructure.uniqueName("writer");
    infra.kafka().ensureTopic(topic, 16);
    infra.kafka().ensureTopic(dlqTopic, 1);
    euUrl = infra.createDatabase(prefix + "_eu");
    usUrl = infra.createDatabase(prefix + "_us");
  }

  @AfterEach
  void stopWriters() {
    writers.forEach(ApplicationContext::close);
    writers.clear();
  }

  @Test
  void writesTheEventsOfItsPartitionsIntoItsShardOnly() {
    startWriter("eu");
    long owner = 1_000;
    List<UUID> eu = new ArrayList<>();
    try (TestProducer producer = new TestProducer(infra, topic)) {
      for (int i = 0; i < 30; i++) {
        TweetEvent europe = TestEvents.tweet("europe", owner + i);
        assertThat(producer.send(europe).partition()).isBetween(0, 7);
        eu.add(europe.id());
        producer.send(TestEvents.tweet("usa", owner + i));
        FileEvent file = TestEvents.file(owner + i);
        RecordMetadata stored = producer.send(file);
        if (stored.partition() < 8) {
          eu.add(file.id());
        }
      }
    }
    awaitRows(euUrl, "SELECT count(*) FROM tweets WHERE owner_id BETWEEN 1000 AND 1029", 30);
    await().atMost(WAIT).until(() -> countIds(eu) == eu.size());
    assertThat(Sql.number(euUrl, "SELECT count(*) FROM tweets WHERE partition > 7")).isZero();
    assertThat(Sql.number(euUrl, "SELECT count(*) FROM file_metadata WHERE partition > 7"))
        .isZero();
    assertThat(Sql.number(euUrl, "SELECT count(*) FROM tweets WHERE location = 'usa'")).isZero();
    assertThat(Sql.number(euUrl, "SELECT count(*) FROM applied_offsets WHERE partition > 7"))
        .isZero();
  }

  @Test
  void resumesFromAppliedOffsetsAfterARestartWithoutReadingAnythingTwice() {
    long owner = 2_000;
    // Owners until every partition of the shard has records, so that the restart seeks each one.
    List<Long> owners = new ArrayList<>();
    Set<Integer> covered = new HashSet<>();
    for (long o = owner; covered.size() < 8; o++) {
      if (covered.add(ROUTING.partitionForTweet("europe", o))) {
        owners.add(o);
      }
    }
    try (TestProducer producer = new TestProducer(infra, topic)) {
      ApplicationContext first = startWriter("eu");
      for (int i = 0; i < 100; i++) {
        producer.send(TestEvents.tweet("europe", owners.get(i % owners.size())));
      }
      awaitRows(euUrl, "SELECT count(*) FROM tweets", 100);
      first.close();
      writers.remove(first);
      assertThat(WriterTestKit.appliedOffsets(euUrl, topic)).hasSize(8);
      for (int i = 0; i < 100; i++) {
        producer.send(TestEvents.tweet("europe", owners.get(i % owners.size())));
      }
      ApplicationContext second = startWriter("eu");
      awaitRows(euUrl, "SELECT count(*) FROM tweets", 200);
      assertThat(Sql.number(euUrl, "SELECT count(DISTINCT id) FROM tweets")).isEqualTo(200);
      Map<Integer, Long> endOffsets = WriterTestKit.endOffsets(infra.kafkaBootstrap(), topic, 0, 7);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(WriterTestKit.appliedOffsets(euUrl, topic)).isEqualTo(endOffsets));
      assertThat(second.getBean(MeterRegistry.class).get(WriterMetrics.RECORDS).counter().count())
          .as("records the restarted writer read")
          .isEqualTo(100);
    }
  }

  @Test
  void sendsInvalidRecordsToTheDeadLetterTopicAndKeepsThePartitionFlowing() {
    startWriter("eu");
    int partition = ROUTING.partitionForTweet("europe", 3_000);
    RecordMetadata poison;
    TweetEvent good = TestEvents.tweet("europe", 3_000);
    try (TestProducer producer = new TestProducer(infra, topic)) {
      poison = producer.sendRaw(partition, "europe/3000", "{\"type\":\"tweet\",\"not\":\"valid\"}");
      producer.sendRaw(partition, null, "not json at all");
      producer.send(good);
    }
    awaitRows(euUrl, "SELECT count(*) FROM tweets WHERE id = '" + good.id() + "'", 1);
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(new TopicPartition(dlqTopic, 0));
    ConsumerRecord<byte[], byte[]> first =
        dead.stream()
            .filter(
                r -> header(r, "shardpipe.source.offset").equals(Long.toString(poison.offset())))
            .filter(r -> header(r, "shardpipe.source.topic").equals(topic))
            .findFirst()
            .orElseThrow();
    assertThat(new String(first.value(), UTF_8))
        .isEqualTo("{\"type\":\"tweet\",\"not\":\"valid\"}");
    assertThat(new String(first.key(), UTF_8)).isEqualTo("europe/3000");
    assertThat(header(first, "shardpipe.source.partition")).isEqualTo(Integer.toString(partition));
    assertThat(header(first, "shardpipe.shard")).isEqualTo("eu");
    assertThat(header(first, "shardpipe.error"))
        .isEqualTo("id: is required; occurred_at: is required; data: is required");
    assertThat(dead)
        .anySatisfy(r -> assertThat(header(r, "shardpipe.error")).isEqualTo("is not valid JSON"));
  }

  @Test
  void forwardsAnEventProducedToTheWrongPartitionToItsRoutedPartition() {
    startWriter("eu");
    TweetEvent tweet = TestEvents.tweet("europe", 4_000);
    int routed = ROUTING.partitionFor(tweet);
    int wrong = routed == 0 ? 1 : 0;
    try (TestProducer producer = new TestProducer(infra, topic)) {
      producer.sendTo(wrong, tweet);
    }
    awaitRows(euUrl, "SELECT count(*) FROM tweets WHERE id = '" + tweet.id() + "'", 1);
    assertThat(Sql.number(euUrl, "SELECT partition FROM tweets WHERE id = ?", tweet.id()))
        .isEqualTo(routed);
  }

  @Test
  void keepsTheNewestVersionOfARowAndKeepsDeletedRowsDeleted() {
    startWriter("eu");
    UUID id = UUID.randomUUID();
    Instant t1 = TestEvents.nextInstant();
    Instant t2 = t1.plusSeconds(1);
    Instant t3 = t1.plusSeconds(2);
    UUID deleted = UUID.randomUUID();
    UUID marker = UUID.randomUUID();
    try (TestProducer producer = new TestProducer(infra, topic)) {
      producer.send(TweetEvent.upsert(id, t2, "europe", 5_000, "second", 2));
      producer.send(TweetEvent.upsert(id, t1, "europe", 5_000, "first, delivered late", 1));
      producer.send(TweetEvent.upsert(id, t2, "europe", 5_000, "second", 2));
      producer.send(TweetEvent.upsert(deleted, t1, "europe", 5_000, "to be deleted", 0));
      producer.send(TweetEvent.delete(deleted, t2, "europe", 5_000));
      producer.send(TweetEvent.upsert(deleted, t1, "europe", 5_000, "retried after delete", 0));
      producer.send(TweetEvent.upsert(marker, t3, "europe", 5_000, "marker", 0));
    }
    awaitRows(euUrl, "SELECT count(*) FROM tweets WHERE id = '" + marker + "'", 1);
    assertThat(Sql.rows(euUrl, "SELECT text, like_count FROM tweets WHERE id = ?", id))
        .containsExactly(Map.of("text", "second", "like_count", 2));
    assertThat(Sql.number(euUrl, "SELECT count(*) FROM tweets WHERE id = ?", deleted)).isZero();
    assertThat(Sql.number(euUrl, "SELECT count(*) FROM tweet_tombstones WHERE id = ?", deleted))
        .isEqualTo(1);
  }

  @Test
  void refusesToStartWithoutAShardAndNamesTheChoices() {
    assertThatThrownBy(() -> ApplicationContext.run(properties(null)))
        .rootCause()
        .hasMessage(
            "shardpipe.writer.shard is not set; start the writer with --shard=<name> or"
                + " SHARDPIPE_WRITER_SHARD=<name>");
    assertThatThrownBy(() -> ApplicationContext.run(properties("asia")))
        .rootCause()
        .hasMessage(
            "shardpipe.writer.shard is asia, which the catalog does not name; shards are [eu, us]");
  }

  @Test
  void refusesToStartWhenTheTopicHasAnotherPartitionCount() {
    Map<String, Object> properties = properties("eu");
    properties.put("shardpipe.partitions", "8");
    properties.put("shardpipe.tweet-locations", "europe=0-3,usa=4-7");
    properties.put("shardpipe.placement", "eu=0-3,us=4-7");
    assertThatThrownBy(() -> ApplicationContext.run(properties))
        .rootCause()
        .hasMessage(
            "topic "
                + topic
                + " has 16 partitions but shardpipe.partitions is 8; routing would place events"
                + " on the wrong shards");
  }

  @Test
  void sendsAThousandPoisonRecordsToTheDeadLetterTopicWithReasonsAndWritesEveryGoodEvent() {
    startWriter("eu");
    Map<String, String> poisons = new LinkedHashMap<>();
    String envelope =
        "{\"type\":\"%s\",\"id\":\"%s\",\"occurred_at\":\"2026-11-21T10:15:00Z\","
            + "\"data\":{\"location\":\"europe\",\"owner_id\":%d,\"text\":\"%s\"}}";
    poisons.put("not json at all", "is not valid JSON");
    poisons.put(
        String.format(envelope, "video", UUID.randomUUID(), 1, "x"),
        "type: must be \"tweet\" or \"file\"");
    poisons.put(
        "{\"type\":\"tweet\"}", "id: is required; occurred_at: is required; data: is required");
    poisons.put(
        String.format(envelope, "tweet", UUID.randomUUID(), -1, "x"),
        "data.owner_id: must be >= 0, was -1");
    poisons.put(
        String.format(envelope, "tweet", UUID.randomUUID(), 1, "x".repeat(281)),
        "data.text: must be at most 280 characters, was 281");
    poisons.put(
        String.format(envelope, "tweet", UUID.randomUUID(), 1, "a\\u0000b"),
        "data.text: must not contain NUL (U+0000)");
    List<String> bodies = new ArrayList<>(poisons.keySet());
    bodies.add(null);
    List<TweetEvent> good = new ArrayList<>();
    Map<String, String> expectedReasons = new HashMap<>();
    List<Future<RecordMetadata>> goodAcks = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        WriterTestKit.bulkProducer(infra.kafkaBootstrap(), false)) {
      List<Future<RecordMetadata>> poisonAcks = new ArrayList<>();
      List<String> poisonBodies = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        if (i % 5 == 0) {
          String body = bodies.get((i / 5) % bodies.size());
          poisonBodies.add(body);
          poisonAcks.add(
              producer.send(
                  new ProducerRecord<>(
                      topic, i % 8, null, body == null ? null : body.getBytes(UTF_8))));
        } else {
          TweetEvent event = TestEvents.tweet("europe", 10_000 + i % 700);
          good.add(event);
          goodAcks.add(
              producer.send(
                  new ProducerRecord<>(
                      topic,
                      ROUTING.partitionFor(event),
                      event.shardKey().getBytes(UTF_8),
                      WriterTestKit.CODEC.encode(event))));
        }
      }
      List<RecordMetadata> stored = WriterTestKit.await(poisonAcks);
      for (int i = 0; i < stored.size(); i++) {
        String body = poisonBodies.get(i);
        expectedReasons.put(
            stored.get(i).partition() + "/" + stored.get(i).offset(),
            body == null
                ? "record has no value (a Kafka tombstone is not an event)"
                : poisons.get(body));
      }
    }
    WriterTestKit.await(goodAcks);
    assertThat(expectedReasons).hasSize(1_000);
    List<UUID> ids = good.stream().map(TweetEvent::id).toList();
    await().atMost(WAIT).until(() -> countIds(ids) == ids.size());

    Map<String, String> deadReasons = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> dead : readAll(new TopicPartition(dlqTopic, 0))) {
      String source =
          header(dead, "shardpipe.source.partition")
              + "/"
              + header(dead, "shardpipe.source.offset");
      assertThat(deadReasons.put(source, header(dead, "shardpipe.error")))
          .as("dead letter of %s sent once", source)
          .isNull();
      assertThat(header(dead, "shardpipe.source.topic")).isEqualTo(topic);
    }
    assertThat(deadReasons).isEqualTo(expectedReasons);
    assertThat(Sql.number(euUrl, "SELECT count(*) FROM tweets")).isEqualTo(4_000);
  }

  @Test
  void sendsEventsTheDatabaseRefusesToTheDeadLetterTopicAndAppliesTheRestOfTheBatch()
      throws SQLException {
    startWriter("eu");
    // Validation accepts these texts; the database, given one more rule, refuses them, as it
    // would refuse anything validation does not know about.
    execute(
        euUrl,
        "ALTER TABLE tweets ADD CONSTRAINT refuses_marked_text"
            + " CHECK (text NOT LIKE '%[refused]%')");
    long owner = 7_000;
    Instant t1 = TestEvents.nextInstant();
    UUID versioned = UUID.randomUUID();
    List<TweetEvent> batch = new ArrayList<>();
    List<TweetEvent> refused = new ArrayList<>();
    batch.add(TweetEvent.upsert(versioned, t1, "europe", owner, "first version", 1));
    for (int i = 0; i < 60; i++) {
      TweetEvent event =
          i % 20 == 7
              ? TweetEvent.upsert(
                  UUID.randomUUID(), TestEvents.nextInstant(), "europe", owner, "[refused] " + i, 0)
              : TestEvents.tweet("europe", owner);
      (event.data().text().startsWith("[refused]") ? refused : batch).add(event);
      batch.add(event);
    }
    TweetEvent refusedVersion =
        TweetEvent.upsert(versioned, t1.plusSeconds(1), "europe", owner, "[refused] newer", 2);
    refused.add(refusedVersion);
    batch.add(refusedVersion);
    List<RecordMetadata> stored;
    try (KafkaProducer<byte[], byte[]> producer =
        WriterTestKit.bulkProducer(infra.kafkaBootstrap(), true)) {
      stored = WriterTestKit.sendAll(producer, topic, batch);
    }
    int partition = stored.get(0).partition();
    long end = stored.get(stored.size() - 1).offset() + 1;
    await()
        .atMost(WAIT)
        .until(() -> WriterTestKit.appliedOffsets(euUrl, topic).getOrDefault(partition, 0L) == end);

    assertThat(Sql.number(euUrl, "SELECT count(*) FROM tweets WHERE owner_id = ?", owner))
        .isEqualTo(58);
    assertThat(Sql.rows(euUrl, "SELECT text, like_count FROM tweets WHERE id = ?", versioned))
        .containsExactly(Map.of("text", "first version", "like_count", 1));
    Set<String> refusedOffsets = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      if (refused.contains(batch.get(i))) {
        refusedOffsets.add(Long.toString(stored.get(i).offset()));
      }
    }
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(new TopicPartition(dlqTopic, 0));
    assertThat(dead)
        .extracting(r -> header(r, "shardpipe.source.offset"))
        .containsExactlyInAnyOrderElementsOf(refusedOffsets);
    assertThat(dead)
        .allSatisfy(
            r ->
                assertThat(header(r, "shardpipe.error"))
                    .isEqualTo(
                        // PostgreSQL names the partition's child table the row was routed to.
                        "database refused the event: new row for relation \"tweets_p"
                            + partition
                            + "\" violates check constraint \"refuses_marked_text\""
                            + " (SQLSTATE 23514)"));
    assertThat(dead)
        .extracting(r -> new String(r.value(), UTF_8))
        .contains(new String(WriterTestKit.CODEC.encode(refusedVersion), UTF_8));
  }

  @Test
  void forwardsRecordsAPlainProducerWroteOnTheOtherShardsPartitionsToTheRightShard() {
    ApplicationContext eu = startWriter("eu");
    ApplicationContext us = startWriter("us");
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      events.add(TestEvents.tweet("europe", 8_000 + i));
      events.add(TestEvents.tweet("usa", 8_000 + i));
      events.add(TestEvents.file(8_000 + i));
    }
    long forwardedByEu = 0;
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        WriterTestKit.bulkProducer(infra.kafkaBootstrap(), false)) {
      for (Event event : events) {
        int routed = ROUTING.partitionFor(event);
        int wrong = routed < 8 ? routed + 8 : routed - 8;
        forwardedByEu += wrong < 8 ? 1 : 0;
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    wrong,
                    event.shardKey().getBytes(UTF_8),
                    WriterTestKit.CODEC.encode(event))));
      }
    }
    WriterTestKit.await(acks);
    for (Event event : events) {
      int routed = ROUTING.partitionFor(event);
      String right = routed < 8 ? euUrl : usUrl;
      String wrong = routed < 8 ? usUrl : euUrl;
      String table = event.type().table();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(
                          Sql.rows(
                              right,
                              "SELECT partition FROM " + table + " WHERE id = ?",
                              event.id()))
                      .containsExactly(Map.of("partition", routed)));
      assertThat(Sql.number(wrong, "SELECT count(*) FROM " + table + " WHERE id = ?", event.id()))
          .isZero();
    }
    assertThat(forwarded(eu)).isEqualTo(forwardedByEu);
    assertThat(forwarded(us)).isEqualTo(events.size() - forwardedByEu);
  }

  @Test
  void holdsAPartitionWhoseUnappliedRecordsRetentionDeletedUntilToldToAcceptTheLoss()
      throws Exception {
    long owner = 10_000;
    int partition = ROUTING.partitionForTweet("europe", owner);
    long other = owner + 1;
    while (ROUTING.partitionForTweet("europe", other) == partition) {
      other++;
    }
    String ownerRows = "SELECT count(*) FROM tweets WHERE owner_id = " + owner;
    try (TestProducer producer = new TestProducer(infra, topic)) {
      ApplicationContext first = startWriter("eu");
      producer.send(TestEvents.tweet("europe", owner));
      producer.send(TestEvents.tweet("europe", owner));
      awaitRows(euUrl, ownerRows, 2);
      first.close();
      writers.remove(first);
      // Offsets 2..6 arrive while the writer is down; retention then deletes 2..4 unapplied.
      for (int i = 0; i < 5; i++) {
        producer.send(TestEvents.tweet("europe", owner));
      }
      TopicPartition tp = new TopicPartition(topic, partition);
      try (Admin admin = infra.kafka().admin()) {
        admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(5))).all().get();
      }

      ApplicationContext held = startWriter("eu");
      producer.send(TestEvents.tweet("europe", other));
      awaitRows(euUrl, "SELECT count(*) FROM tweets WHERE owner_id = " + other, 1);
      ShardWriter writer = held.getBean(ShardWriter.class);
      await().atMost(WAIT).until(() -> writer.dataLoss(), loss -> loss.containsKey(partition));
      assertThat(writer.dataLoss())
          .containsExactly(entry(partition, new ShardWriter.DataLoss(2, 5)));
      assertThat(
              held.getBean(MeterRegistry.class)
                  .get(WriterMetrics.DATA_LOSS)
                  .tag("partition", Integer.toString(partition))
                  .gauge()
                  .value())
          .isEqualTo(3.0);
      assertThat(Sql.number(euUrl, ownerRows)).as("nothing skipped").isEqualTo(2);
      assertThat(WriterTestKit.appliedOffsets(euUrl, topic)).containsEntry(partition, 2L);
      held.close();
      writers.remove(held);

      ApplicationContext accepting =
          ApplicationContext.builder()
              .properties(properties("eu"))
              .args("--accept-data-loss")
              .start();
      writers.add(accepting);
      awaitRows(euUrl, ownerRows, 4);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(WriterTestKit.appliedOffsets(euUrl, topic))
                      .containsEntry(partition, 7L));
      assertThat(accepting.getBean(ShardWriter.class).dataLoss()).isEmpty();
    }
  }

  @Test
  void reportsTheDatabaseAndKafkaInHealthAndShardTaggedMetricsInPrometheus() throws Exception {
    Map<String, Object> properties = properties("eu");
    properties.put("micronaut.server.port", -1);
    EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties);
    writers.add(server.getApplicationContext());
    await()
        .atMost(WAIT)
        .until(
            () ->
                server.getApplicationContext().getBean(ShardWriter.class).state()
                    == ShardWriter.State.RUNNING);
    int partition = ROUTING.partitionForTweet("europe", 9_000);
    TweetEvent misrouted = TestEvents.tweet("europe", 9_000);
    try (TestProducer producer = new TestProducer(infra, topic)) {
      for (int i = 0; i < 20; i++) {
        producer.send(TestEvents.tweet("europe", 9_000));
      }
      producer.sendRaw(partition, null, "poison");
      producer.sendTo(partition == 0 ? 1 : 0, misrouted);
    }
    awaitRows(euUrl, "SELECT count(*) FROM tweets", 21);

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(server.getURI().resolve("/health")).build(),
            BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode details =
        JsonMapper.createDefault().readValue(health.body(), JsonNode.class).get("details");
    assertThat(health.body()).contains("\"shard-writer\"", "\"database\"", "\"kafka\"");
    assertThat(details.get("shard-writer").get("status").getStringValue()).isEqualTo("UP");
    assertThat(details.get("database").get("status").getStringValue()).isEqualTo("UP");
    assertThat(details.get("kafka").get("status").getStringValue()).isEqualTo("UP");

    String metrics =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    http.send(
                            HttpRequest.newBuilder(server.getURI().resolve("/prometheus")).build(),
                            BodyHandlers.ofString())
                        .body(),
                body -> body.contains("shardpipe_writer_lag{partition=\"" + partition));
    assertThat(metrics)
        .contains("shardpipe_writer_rows_written_total{shard=\"eu\"} 21.0")
        .contains("shardpipe_writer_records_total{shard=\"eu\"} 23.0")
        .contains("shardpipe_writer_dead_letters_total{cause=\"invalid\",shard=\"eu\"} 1.0")
        .contains("shardpipe_writer_dead_letters_total{cause=\"refused\",shard=\"eu\"} 0.0")
        .contains("shardpipe_writer_forwarded_total{shard=\"eu\"} 1.0")
        .contains("shardpipe_writer_lag{partition=\"" + partition + "\",shard=\"eu\"} 0.0")
        .contains("shardpipe_writer_batch_size_count{shard=\"eu\"}")
        .contains("shardpipe_writer_transaction_seconds_count{shard=\"eu\"}");
  }

  private static double forwarded(ApplicationContext writer) {
    return writer.getBean(MeterRegistry.class).get(WriterMetrics.FORWARDED).counter().count();
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }

  private ApplicationContext startWriter(String shard) {
    ApplicationContext context = ApplicationContext.run(properties(shard));
    writers.add(context);
    await()
        .atMost(WAIT)
        .until(() -> context.getBean(ShardWriter.class).state() == ShardWriter.State.RUNNING);
    return context;
  }

  private Map<String, Object> properties(String shard) {
    return WriterTestKit.writerProperties(
        infra.kafkaBootstrap(),
        topic,
        dlqTopic,
        "jdbc:postgresql://"
            + infra.postgres().host()
            + ":"
            + infra.postgres().port()
            + "/"
            + prefix
            + "_{shard}",
        shard);
  }

  private static void awaitRows(String url, String countSql, long expected) {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(Sql.number(url, countSql)).isEqualTo(expected));
  }

  private long countIds(List<UUID> ids) {
    Object array = ids.toArray(UUID[]::new);
    return Sql.number(euUrl, "SELECT count(*) FROM tweets WHERE id = ANY(?)", array)
        + Sql.number(euUrl, "SELECT count(*) FROM file_metadata WHERE id = ANY(?)", array);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return WriterTestKit.header(record, name);
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(TopicPartition partition) {
    return WriterTestKit.readAll(infra.kafkaBootstrap(), partition);
  }
}

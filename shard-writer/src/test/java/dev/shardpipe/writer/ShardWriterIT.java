package dev.shardpipe.writer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.Sql;
import dev.shardpipe.testing.TestEvents;
import dev.shardpipe.testing.TestProducer;
import dev.shardpipe.writer.consume.ShardWriter;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfrastructureExtension.class)
class ShardWriterIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Routing ROUTING = Routing.defaults();

  private static Infrastructure infra;
  private static String topic;
  private static String dlqTopic;
  private static String prefix;
  private static String euUrl;

  private final List<ApplicationContext> writers = new ArrayList<>();

  @BeforeAll
  static void createTopicsAndDatabases(Infrastructure shared) {
    infra = shared;
    topic = Infrastructure.uniqueName("events");
    dlqTopic = topic + ".dlq";
    prefix = Infrastructure.uniqueName("writer");
    infra.kafka().ensureTopic(topic, 16);
    infra.kafka().ensureTopic(dlqTopic, 1);
    euUrl = infra.createDatabase(prefix + "_eu");
    infra.createDatabase(prefix + "_us");
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
  void resumesFromAppliedOffsetsAfterARestartWithoutDuplicates() {
    long owner = 2_000;
    try (TestProducer producer = new TestProducer(infra, topic)) {
      ApplicationContext first = startWriter("eu");
      for (int i = 0; i < 100; i++) {
        producer.send(TestEvents.tweet("europe", owner + i % 10));
      }
      awaitRows(euUrl, "SELECT count(*) FROM tweets WHERE owner_id BETWEEN 2000 AND 2009", 100);
      first.close();
      writers.remove(first);
      for (int i = 0; i < 100; i++) {
        producer.send(TestEvents.tweet("europe", owner + i % 10));
      }
      startWriter("eu");
    }
    awaitRows(euUrl, "SELECT count(*) FROM tweets WHERE owner_id BETWEEN 2000 AND 2009", 200);
    assertThat(
            Sql.number(
                euUrl,
                "SELECT count(DISTINCT id) FROM tweets WHERE owner_id BETWEEN 2000 AND 2009"))
        .isEqualTo(200);
    Map<Integer, Long> endOffsets = endOffsets(0, 7);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(appliedOffsets(euUrl)).containsAllEntriesOf(endOffsets));
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
                + " SHARDPIPE_WRITER_SHARD=<name>, one of [eu, us]");
    assertThatThrownBy(() -> ApplicationContext.run(properties("asia")))
        .rootCause()
        .hasMessage(
            "shardpipe.writer.shard is asia, which shardpipe.placement does not name; shards are"
                + " [eu, us]");
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

  private ApplicationContext startWriter(String shard) {
    ApplicationContext context = ApplicationContext.run(properties(shard));
    writers.add(context);
    await()
        .atMost(WAIT)
        .until(() -> context.getBean(ShardWriter.class).state() == ShardWriter.State.RUNNING);
    return context;
  }

  private static Map<String, Object> properties(String shard) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("kafka.bootstrap.servers", infra.kafkaBootstrap());
    properties.put("shardpipe.topic", topic);
    properties.put("shardpipe.dlq-topic", dlqTopic);
    properties.put(
        "shardpipe.database.url-template",
        "jdbc:postgresql://127.0.0.1:" + infra.postgres().port() + "/" + prefix + "_{shard}");
    properties.put("shardpipe.writer.retry-max-backoff", "500ms");
    if (shard != null) {
      properties.put("shardpipe.writer.shard", shard);
    }
    return properties;
  }

  private static void awaitRows(String url, String countSql, long expected) {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(Sql.number(url, countSql)).isEqualTo(expected));
  }

  private static long countIds(List<UUID> ids) {
    Object array = ids.toArray(UUID[]::new);
    return Sql.number(euUrl, "SELECT count(*) FROM tweets WHERE id = ANY(?)", array)
        + Sql.number(euUrl, "SELECT count(*) FROM file_metadata WHERE id = ANY(?)", array);
  }

  private static Map<Integer, Long> appliedOffsets(String url) {
    Map<Integer, Long> offsets = new HashMap<>();
    for (Map<String, Object> row :
        Sql.rows(
            url, "SELECT partition, next_offset FROM applied_offsets WHERE topic = ?", topic)) {
      offsets.put((Integer) row.get("partition"), (Long) row.get("next_offset"));
    }
    return offsets;
  }

  private static Map<Integer, Long> endOffsets(int first, int last) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = first; p <= last; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      Map<Integer, Long> ends = new HashMap<>();
      consumer
          .endOffsets(partitions)
          .forEach(
              (tp, end) -> {
                if (end > 0) {
                  ends.put(tp.partition(), end);
                }
              });
      return ends;
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(TopicPartition partition) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int poll = 0; poll < 50 && consumer.position(partition) < end; poll++) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return record.headers().lastHeader(name) == null
        ? ""
        : new String(record.headers().lastHeader(name).value(), UTF_8);
  }
}

package dev.shardpipe.writer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.embedded.KafkaBroker;
import dev.shardpipe.embedded.PostgresServer;
import dev.shardpipe.testing.Sql;
import dev.shardpipe.testing.TestEvents;
import dev.shardpipe.writer.consume.ShardWriter;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer against its own broker and database server, which the tests stop and start again on
 * the same data and ports while events flow: nothing may be lost, skipped or applied twice.
 */
class WriterFaultsIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Routing ROUTING = Routing.defaults();
  private static final Map<String, String> POSTGRES_SETTINGS = Map.of("synchronous_commit", "off");

  @TempDir static Path dir;

  private static PostgresServer postgres;
  private static KafkaBroker kafka;
  private static int postgresPort;
  private static int topics;

  private final ExecutorService load = Executors.newSingleThreadExecutor();
  private ApplicationContext writer;
  private String topic;
  private String dlqTopic;
  private String url;

  @BeforeAll
  static void startServers() throws IOException {
    postgres = PostgresServer.start(dir.resolve("postgres"), 0, POSTGRES_SETTINGS);
    postgresPort = postgres.port();
    kafka = KafkaBroker.start(dir.resolve("kafka"), 0, 0);
  }

  @AfterAll
  static void stopServers() throws IOException {
    try (PostgresServer stopped = postgres) {
      kafka.close();
    }
  }

  @AfterEach
  void stopWriter() throws InterruptedException {
    load.shutdownNow();
    load.awaitTermination(30, TimeUnit.SECONDS);
    if (writer != null) {
      writer.close();
    }
  }

  @Test
  void appliesEveryEventOnceWhenTheShardDatabaseStopsAndStartsAgainUnderLoad() throws Exception {
    // Two partitions at a time, so that concurrent transactions fail and retry together.
    startWriter(
        "pg", Map.of("shardpipe.writer.write-concurrency", 2, "shardpipe.writer.pool-size", 3));
    Future<List<TweetEvent>> produced = load.submit(() -> produceSteadily(30_000));
    awaitCommitted(5_000);

    postgres.close();
    await().atMost(WAIT).until(() -> writerState() == ShardWriter.State.RETRYING);
    postgres = PostgresServer.start(dir.resolve("postgres"), postgresPort, POSTGRES_SETTINGS);

    List<TweetEvent> events = produced.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    awaitCommitted(events.size());
    assertEveryEventAppliedOnce(events);
    assertThat(writerState()).isEqualTo(ShardWriter.State.RUNNING);
  }

  @Test
  void appliesEveryEventOnceWhenKafkaStopsAndStartsAgain() throws Exception {
    startWriter("kafka", Map.of());
    List<TweetEvent> events = new ArrayList<>(produceSteadily(10_000));
    int poisonPartition = ROUTING.partitionForTweet("europe", 1);
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        WriterTestKit.bulkProducer(kafka.bootstrapServers(), true)) {
      for (int i = 0; i < 100; i++) {
        TweetEvent misrouted = TestEvents.tweet("europe", 50_000 + i);
        events.add(misrouted);
        int routed = ROUTING.partitionFor(misrouted);
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    (routed + 1) % 8,
                    misrouted.shardKey().getBytes(UTF_8),
                    WriterTestKit.CODEC.encode(misrouted))));
        acks.add(
            producer.send(
                new ProducerRecord<>(topic, poisonPartition, null, "poison".getBytes(UTF_8))));
      }
      WriterTestKit.await(acks);
    }

    kafka = kafka.restart();
    events.addAll(produceSteadily(10_000));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(Sql.number(url, "SELECT count(*) FROM tweets"))
                    .isEqualTo(events.size()));
    assertThat(
            Sql.number(
                url,
                "SELECT count(*) FROM tweets WHERE id = ANY(?)",
                (Object) events.stream().map(TweetEvent::id).toArray(UUID[]::new)))
        .isEqualTo(events.size());
    Map<Integer, Long> ends = WriterTestKit.endOffsets(kafka.bootstrapServers(), topic, 0, 7);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(WriterTestKit.appliedOffsets(url, topic)).isEqualTo(ends));
    List<ConsumerRecord<byte[], byte[]>> dead =
        WriterTestKit.readAll(kafka.bootstrapServers(), new TopicPartition(dlqTopic, 0));
    assertThat(dead)
        .extracting(r -> WriterTestKit.header(r, "shardpipe.source.offset"))
        .doesNotHaveDuplicates()
        .hasSize(100);
  }

  private void startWriter(String name, Map<String, Object> settings) throws Exception {
    topic = name + ".events";
    dlqTopic = topic + ".dlq";
    kafka.ensureTopic(topic, 16);
    kafka.ensureTopic(dlqTopic, 1);
    postgres.createDatabase(name + "_eu");
    url = postgres.jdbcUrl(name + "_eu");
    Map<String, Object> properties =
        WriterTestKit.writerProperties(
            kafka.bootstrapServers(),
            topic,
            dlqTopic,
            "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + name + "_{shard}",
            "eu");
    properties.putAll(settings);
    writer = ApplicationContext.run(properties);
    await().atMost(WAIT).until(() -> writerState() == ShardWriter.State.RUNNING);
  }

  private ShardWriter.State writerState() {
    return writer.getBean(ShardWriter.class).state();
  }

  /**
   * Sends European tweets in chunks of 500 every 100 ms, as a steady producer would, so that events
   * are still arriving while a server is down; returns them once all are acknowledged.
   */
  private List<TweetEvent> produceSteadily(int count) throws InterruptedException {
    List<TweetEvent> events = new ArrayList<>(count);
    try (KafkaProducer<byte[], byte[]> producer =
        WriterTestKit.bulkProducer(kafka.bootstrapServers(), true)) {
      for (int chunk = 0; chunk < count / 500; chunk++) {
        List<TweetEvent> next = new ArrayList<>(500);
        for (int i = 0; i < 500; i++) {
          next.add(TestEvents.tweet("europe", (chunk * 500L + i) % 1_000));
        }
        WriterTestKit.sendAll(producer, topic, next);
        events.addAll(next);
        Thread.sleep(100);
      }
    }
    return events;
  }

  /** Waits until the shard's applied offsets cover at least this many records. */
  private void awaitCommitted(long records) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                WriterTestKit.appliedOffsets(url, topic).values().stream()
                        .mapToLong(Long::longValue)
                        .sum()
                    >= records);
  }

  /**
   * Each record is one distinct event routed to its partition, so every partition must hold as many
   * rows as records, each event exactly once, and the applied offsets the end offsets.
   */
  private void assertEveryEventAppliedOnce(List<TweetEvent> events) {
    assertThat(Sql.number(url, "SELECT count(*) FROM tweets")).isEqualTo(events.size());
    assertThat(
            Sql.number(
                url,
                "SELECT count(*) FROM tweets WHERE id = ANY(?)",
                (Object) events.stream().map(TweetEvent::id).toArray(UUID[]::new)))
        .isEqualTo(events.size());
    Map<Integer, Long> ends = WriterTestKit.endOffsets(kafka.bootstrapServers(), topic, 0, 15);
    assertThat(WriterTestKit.appliedOffsets(url, topic)).isEqualTo(ends);
    assertThat(WriterTestKit.rowsPerPartition(url, "tweets", "true")).isEqualTo(ends);
  }
}

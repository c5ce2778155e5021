package dev.shardpipe.writer;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.routing.ShardKeyPartitioner;
import dev.shardpipe.testing.Sql;
import io.micronaut.json.JsonMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the writer's integration tests share: settings, bulk producing, reading topics and rows. */
final class WriterTestKit {

  static final EventCodec CODEC = new EventCodec(JsonMapper.createDefault());

  private WriterTestKit() {}

  /** The writer's settings for a test topic and a test database per shard. */
  static Map<String, Object> writerProperties(
      String bootstrap, String topic, String dlqTopic, String urlTemplate, String shard) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("kafka.bootstrap.servers", bootstrap);
    properties.put("shardpipe.topic", topic);
    properties.put("shardpipe.dlq-topic", dlqTopic);
    properties.put("shardpipe.database.url-template", urlTemplate);
    properties.put("datasources.catalog.url", catalogDatabase(urlTemplate));
    properties.put("datasources.catalog.username", "postgres");
    properties.put("datasources.catalog.password", "");
    properties.put("shardpipe.writer.retry-max-backoff", "500ms");
    if (shard != null) {
      properties.put("shardpipe.writer.shard", shard);
    }
    return properties;
  }

  /**
   * Creates, unless it exists, the catalog database beside a test's shard databases: the template
   * with {@code catalog} for the shard name.
   *
   * @return the catalog's JDBC URL
   */
  static String catalogDatabase(String urlTemplate) {
    String url = urlTemplate.replace("{shard}", "catalog");
    int slash = url.lastIndexOf('/');
    String database = url.substring(slash + 1).split("\\?", 2)[0];
    String admin = url.substring(0, slash + 1) + "postgres";
    try (Connection c = DriverManager.getConnection(admin, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      if (!"42P04".equals(e.getSQLState())) {
        throw new IllegalStateException("cannot create the catalog database " + database, e);
      }
    }
    return url;
  }

  /** A producer that batches, for sending many events quickly; routing is the caller's. */
  static KafkaProducer<byte[], byte[]> bulkProducer(String bootstrap, boolean shardKeyRouting) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    if (shardKeyRouting) {
      config.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, ShardKeyPartitioner.class.getName());
    }
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends events as a user's application would, routed by their shard key; waits for all acks. */
  static List<RecordMetadata> sendAll(
      KafkaProducer<byte[], byte[]> producer, String topic, List<? extends Event> events) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
    for (Event event : events) {
      acks.add(
          producer.send(
              new ProducerRecord<>(topic, event.shardKey().getBytes(UTF_8), CODEC.encode(event))));
    }
    return await(acks);
  }

  static List<RecordMetadata> await(List<Future<RecordMetadata>> acks) {
    List<RecordMetadata> stored = new ArrayList<>(acks.size());
    try {
      for (Future<RecordMetadata> ack : acks) {
        stored.add(ack.get());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("send failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return stored;
  }

  static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    return new KafkaConsumer<>(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** Every record of a partition, from the beginning to its end offset now. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, TopicPartition partition) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int poll = 0; poll < 200 && consumer.position(partition) < end; poll++) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** The end offset of each partition in {@code first..last} that holds any record. */
  static Map<Integer, Long> endOffsets(String bootstrap, String topic, int first, int last) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
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

  /** The shard's {@code applied_offsets} for a topic, by partition. */
  static Map<Integer, Long> appliedOffsets(String url, String topic) {
    Map<Integer, Long> offsets = new HashMap<>();
    for (Map<String, Object> row :
        Sql.rows(
            url, "SELECT partition, next_offset FROM applied_offsets WHERE topic = ?", topic)) {
      offsets.put((Integer) row.get("partition"), (Long) row.get("next_offset"));
    }
    return offsets;
  }

  /** Rows per partition in a table. */
  static Map<Integer, Long> rowsPerPartition(String url, String table, String where) {
    Map<Integer, Long> counts = new HashMap<>();
    for (Map<String, Object> row :
        Sql.rows(
            url,
            "SELECT partition, count(*) AS n FROM "
                + table
                + " WHERE "
                + where
                + " GROUP BY partition")) {
      counts.put((Integer) row.get("partition"), (Long) row.get("n"));
    }
    return counts;
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return record.headers().lastHeader(name) == null
        ? ""
        : new String(record.headers().lastHeader(name).value(), UTF_8);
  }
}

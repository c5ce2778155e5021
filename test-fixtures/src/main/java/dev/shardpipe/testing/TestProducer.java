package dev.shardpipe.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.routing.ShardKeyPartitioner;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A plain Kafka producer as a user's application would have one: {@link ShardKeyPartitioner} for
 * routing, {@link EventCodec} for the envelope. Sends synchronously.
 */
public final class TestProducer implements AutoCloseable {

  private final KafkaProducer<String, byte[]> producer;
  private final EventCodec codec = new EventCodec(JsonMapper.createDefault());
  private final String topic;

  /**
   * Connects to the shared broker.
   *
   * @param infra the test infrastructure
   * @param topic the events topic
   */
  public TestProducer(Infrastructure infra, String topic) {
    this.topic = topic;
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.PARTITIONER_CLASS_CONFIG, ShardKeyPartitioner.class.getName()),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  /**
   * Sends an event to the partition routing picks.
   *
   * @param event the event
   * @return where Kafka stored it
   */
  public RecordMetadata send(Event event) {
    return send(new ProducerRecord<>(topic, event.shardKey(), codec.encode(event)));
  }

  /**
   * Sends an event to a partition of the caller's choice, as a producer that ignores routing would.
   *
   * @param partition the partition
   * @param event the event
   * @return where Kafka stored it
   */
  public RecordMetadata sendTo(int partition, Event event) {
    return send(new ProducerRecord<>(topic, partition, event.shardKey(), codec.encode(event)));
  }

  /**
   * Sends raw bytes to a partition, for records that are not valid events.
   *
   * @param partition the partition
   * @param key the record key, or null
   * @param value the record value, or null for a Kafka tombstone record
   * @return where Kafka stored it
   */
  public RecordMetadata sendRaw(int partition, @Nullable String key, @Nullable String value) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, partition, key, value == null ? null : value.getBytes(UTF_8));
    return send(record);
  }

  private RecordMetadata send(ProducerRecord<String, byte[]> record) {
    try {
      return producer.send(record).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("send to " + record.topic() + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}

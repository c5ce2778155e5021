package dev.shardpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.core.routing.ShardKeyPartitioner;
import dev.shardpipe.testing.Infrastructure;
import dev.shardpipe.testing.InfrastructureExtension;
import dev.shardpipe.testing.TestEvents;
import io.micronaut.json.JsonMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A user's own Java producer, configured only by class names as docs/ingest-api.md shows, writes
 * records the pipeline reads: the writer's decoder ({@link EventCodec#decode} over the raw bytes)
 * gets the same events back, each on the partition routing gives it, and a consumer naming the
 * codec as its deserializer reads them too.
 */
@ExtendWith(InfrastructureExtension.class)
class CodecByClassNameIT {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final int MAX_POLLS = 150;

  @Test
  void recordsFromAProducerConfiguredByClassNamesDecodeAndRouteAsThePipelinesOwn(
      Infrastructure infra) throws Exception {
    String topic = Infrastructure.uniqueName("codec_by_name");
    infra.kafka().ensureTopic(topic, Routing.DEFAULT_PARTITIONS);
    List<Event> sent =
        List.of(
            TestEvents.tweet("europe", 42),
            TestEvents.tweet("usa", 7),
            TestEvents.file(1000),
            TweetEvent.delete(
                UUID.randomUUID(), Instant.parse("2026-11-21T10:15:00Z"), "europe", 42),
            FileEvent.delete(UUID.randomUUID(), Instant.parse("2026-11-21T10:15:00Z"), 123456));

    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap(),
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                "org.apache.kafka.common.serialization.StringSerializer",
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "dev.shardpipe.core.event.EventCodec",
            ProducerConfig.PARTITIONER_CLASS_CONFIG,
                "dev.shardpipe.core.routing.ShardKeyPartitioner",
            ShardKeyPartitioner.PARTITIONS_CONFIG, Routing.DEFAULT_PARTITIONS);
    List<RecordMetadata> stored = new ArrayList<>();
    try (KafkaProducer<String, Event> producer = new KafkaProducer<>(producerConfig)) {
      for (Event event : sent) {
        stored.add(producer.send(new ProducerRecord<>(topic, event.shardKey(), event)).get());
      }
    }
    Routing routing = Routing.defaults();
    for (int i = 0; i < sent.size(); i++) {
      assertThat(stored.get(i).partition()).isEqualTo(routing.partitionFor(sent.get(i)));
    }

    EventCodec pipeline = new EventCodec(JsonMapper.createDefault());
    List<ConsumerRecord<byte[], byte[]>> raw =
        readAll(
            infra,
            topic,
            "org.apache.kafka.common.serialization.ByteArrayDeserializer",
            sent.size());
    List<Event> decoded = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      Event event = pipeline.decode(record.value());
      assertThat(record.partition()).isEqualTo(routing.partitionFor(event));
      decoded.add(event);
    }
    assertThat(decoded).containsExactlyInAnyOrderElementsOf(sent);

    List<ConsumerRecord<byte[], Event>> typed =
        readAll(infra, topic, "dev.shardpipe.core.event.EventCodec", sent.size());
    assertThat(typed).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(sent);
  }

  /** Reads the topic from the start with a consumer whose value deserializer is named by class. */
  private static <V> List<ConsumerRecord<byte[], V>> readAll(
      Infrastructure infra, String topic, String valueDeserializer, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            infra.kafkaBootstrap(),
            ConsumerConfig.GROUP_ID_CONFIG,
            Infrastructure.uniqueName("codec_reader"),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            "org.apache.kafka.common.serialization.ByteArrayDeserializer",
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            valueDeserializer);
    List<ConsumerRecord<byte[], V>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      for (int polls = 0; polls < MAX_POLLS && records.size() < expected; polls++) {
        consumer.poll(POLL).forEach(records::add);
      }
    }
    assertThat(records).hasSize(expected);
    return records;
  }
}

package dev.shardpipe.loadgen.sink;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.core.routing.ShardKeyPartitioner;
import io.micronaut.json.JsonMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes events straight to the events topic as any producer may (docs/contract.md §3): the
 * envelope from core's {@link EventCodec} as the value, the shard key as the record key, from an
 * idempotent producer with {@code acks=all}. The partition is the routed one ({@link
 * ShardKeyPartitioner}), a random one or a fixed one; the writers forward an event written
 * elsewhere to its own partition, so nothing is lost either way.
 */
public final class KafkaSink implements Sink {

  private final KafkaProducer<byte[], byte[]> producer;
  private final EventCodec codec = new EventCodec(JsonMapper.createDefault());
  private final String topic;
  private final PartitionChoice choice;
  private final Routing routing;

  /**
   * Creates the producer.
   *
   * @param bootstrapServers Kafka's address
   * @param topic the events topic
   * @param routing the pipeline's routing; its partition count bounds random and fixed partitions
   * @param tweetLocations the routing's location ranges, as {@code shardpipe.tweet-locations}
   * @param choice which partition each event goes to
   * @throws IllegalArgumentException if a fixed partition is not below the partition count
   */
  public KafkaSink(
      String bootstrapServers,
      String topic,
      Routing routing,
      String tweetLocations,
      PartitionChoice choice) {
    if (choice.mode() == PartitionChoice.Mode.FIXED && choice.partition() >= routing.partitions()) {
      throw new IllegalArgumentException(
          "--partition must be below the partition count "
              + routing.partitions()
              + ", was "
              + choice.partition());
    }
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, ShardKeyPartitioner.class.getName());
    config.put(ShardKeyPartitioner.PARTITIONS_CONFIG, routing.partitions());
    config.put(ShardKeyPartitioner.TWEET_LOCATIONS_CONFIG, tweetLocations);
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.choice = choice;
    this.routing = routing;
  }

  @Override
  public CompletableFuture<List<Ack>> send(List<Event> events) {
    Ack[] acks = new Ack[events.size()];
    AtomicInteger pending = new AtomicInteger(events.size());
    CompletableFuture<List<Ack>> done = new CompletableFuture<>();
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      Integer partition =
          switch (choice.mode()) {
            case ROUTED -> null;
            case RANDOM -> ThreadLocalRandom.current().nextInt(routing.partitions());
            case FIXED -> choice.partition();
          };
      int index = i;
      producer.send(
          new ProducerRecord<>(
              topic, partition, event.shardKey().getBytes(UTF_8), codec.encode(event)),
          (metadata, error) -> {
            if (error != null) {
              done.completeExceptionally(
                  new SendFailure("kafka " + error.getClass().getSimpleName(), error.getMessage()));
              return;
            }
            acks[index] = new Ack(metadata.partition(), metadata.offset(), null);
            if (pending.decrementAndGet() == 0) {
              done.complete(List.of(acks));
            }
          });
    }
    return done;
  }

  @Override
  public boolean acksAreRouted() {
    return choice.mode() == PartitionChoice.Mode.ROUTED;
  }

  @Override
  public void close() {
    producer.close();
  }
}

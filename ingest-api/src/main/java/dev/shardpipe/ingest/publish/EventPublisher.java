package dev.shardpipe.ingest.publish;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.placement.Placement;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes events to the events topic with the record key as the shard key, so that the producer's
 * {@link dev.shardpipe.core.routing.ShardKeyPartitioner} routes each one (SPEC 4).
 *
 * <p>The producer is idempotent with {@code acks=all}: a completed future means every in-sync
 * replica has the record, which is what a {@code 202} promises (SPEC 6). Thread-safe.
 */
public final class EventPublisher implements AutoCloseable {

  private final Producer<String, byte[]> producer;
  private final EventCodec codec;
  private final Placement placement;
  private final String topic;

  /**
   * Creates the publisher.
   *
   * @param producer an idempotent {@code acks=all} producer routing with ShardKeyPartitioner
   * @param codec the envelope codec
   * @param placement where each partition's rows live, to name the shard in the answer
   * @param topic the events topic
   */
  public EventPublisher(
      Producer<String, byte[]> producer, EventCodec codec, Placement placement, String topic) {
    this.producer = producer;
    this.codec = codec;
    this.placement = placement;
    this.topic = topic;
  }

  /**
   * Sends an event without waiting: the caller's thread is not parked while Kafka acknowledges.
   *
   * @param event the event
   * @return completes with where Kafka stored the event once it is acknowledged; fails with the
   *     producer's exception (a {@link org.apache.kafka.common.errors.RetriableException} such as a
   *     timeout when Kafka could not take it)
   */
  public CompletableFuture<Published> publish(Event event) {
    CompletableFuture<Published> published = new CompletableFuture<>();
    try {
      producer.send(
          new ProducerRecord<>(topic, event.shardKey(), codec.encode(event)),
          (metadata, failure) -> {
            if (failure != null) {
              published.completeExceptionally(failure);
            } else {
              published.complete(
                  new Published(
                      event.id(),
                      metadata.partition(),
                      metadata.offset(),
                      placement.shardOf(metadata.partition())));
            }
          });
    } catch (RuntimeException e) {
      published.completeExceptionally(e);
    }
    return published;
  }

  /** Flushes and closes the producer. */
  @Override
  public void close() {
    producer.close();
  }
}

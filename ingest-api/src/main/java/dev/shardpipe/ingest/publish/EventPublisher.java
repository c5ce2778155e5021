package dev.shardpipe.ingest.publish;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.placement.PlacementSource;
import dev.shardpipe.core.token.ReadToken;
import dev.shardpipe.core.token.ReadTokenCodec;
import dev.shardpipe.ingest.metrics.IngestMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events to the events topic with the record key as the shard key, so that the producer's
 * {@link dev.shardpipe.core.routing.ShardKeyPartitioner} routes each one (docs/contract.md §4).
 *
 * <p>The producer is idempotent with {@code acks=all}: a completed future means every in-sync
 * replica has the record, which is what a {@code 202} promises (docs/contract.md §6). Thread-safe.
 *
 * <p>No thread waits for an acknowledgement: each record's callback completes its future on the
 * producer's I/O thread. {@code KafkaProducer.send} itself runs on one dedicated thread, not on the
 * caller's. It returns in microseconds while the producer has the topic's metadata and buffer
 * space, but it is documented to block up to {@code max.block.ms} when it has not: on an HTTP event
 * loop that would stall every connection of the loop, health checks included, and on an unbounded
 * I/O pool it would park a thread per request, the very thing this class exists to avoid. One
 * thread is enough because the producer serialises appends to a partition's batch anyway, and
 * {@code max-in-flight-events} bounds what can queue in front of it. A request that waited on that
 * thread longer than {@code max.block.ms} fails without being sent, so that a stall answers every
 * queued request within about twice that time.
 */
public final class EventPublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  private final Producer<String, byte[]> producer;
  private final EventCodec codec;
  private final PlacementSource placements;
  private final ReadTokenCodec tokens;
  private final String topic;
  private final Semaphore inFlight;
  private final int maxInFlight;
  private final Duration maxBlock;
  private final IngestMetrics metrics;
  private final Clock clock;
  private final ExecutorService sender;

  /**
   * Creates the publisher and its send thread.
   *
   * @param producer an idempotent {@code acks=all} producer routing with ShardKeyPartitioner
   * @param codec the envelope codec
   * @param placements where each partition's rows live now, to name the shard in the answer; read
   *     when Kafka acknowledges each event, so a placement change shows in the next answer
   * @param tokens signs each event's read token
   * @param topic the events topic
   * @param maxInFlight how many events may await Kafka's acknowledgement at once, at least 1
   * @param maxBlock the producer's {@code max.block.ms}: the longest a request waits for the send
   *     thread before it fails unsent
   * @param metrics where produce latency is recorded
   * @param clock the clock of that wait
   */
  public EventPublisher(
      Producer<String, byte[]> producer,
      EventCodec codec,
      PlacementSource placements,
      ReadTokenCodec tokens,
      String topic,
      int maxInFlight,
      Duration maxBlock,
      IngestMetrics metrics,
      Clock clock) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    this.producer = producer;
    this.codec = codec;
    this.placements = placements;
    this.tokens = tokens;
    this.topic = topic;
    this.inFlight = new Semaphore(maxInFlight);
    this.maxInFlight = maxInFlight;
    this.maxBlock = maxBlock;
    this.metrics = metrics;
    this.clock = clock;
    this.sender =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "kafka-send-" + topic);
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Sends events in order without waiting for Kafka, and completes when every one has an answer.
   *
   * @param events the events of one request, at most {@code maxInFlight}
   * @return completes with where Kafka stored each event, in the order given, once every one is
   *     acknowledged; fails, once every send has finished, with a failure of one of them: the
   *     producer's exception (a {@link org.apache.kafka.common.errors.RetriableException} such as a
   *     {@link TimeoutException} when Kafka could not take it in time), or {@link
   *     PublisherBusyException} at once when too many events are in flight. Events after a send
   *     that failed at once are not sent.
   */
  public CompletableFuture<List<Published>> publishAll(List<? extends Event> events) {
    int count = events.size();
    if (!inFlight.tryAcquire(count)) {
      return CompletableFuture.failedFuture(new PublisherBusyException(count, maxInFlight));
    }
    List<CompletableFuture<Published>> acks = new ArrayList<>(count);
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(count);
    try {
      // Encoding stays on the caller's thread, so the send thread only appends to batches.
      for (Event event : events) {
        records.add(new ProducerRecord<>(topic, event.shardKey(), codec.encode(event)));
        acks.add(new CompletableFuture<>());
      }
    } catch (RuntimeException e) {
      inFlight.release(count);
      return CompletableFuture.failedFuture(e);
    }
    long deadline = clock.millis() + maxBlock.toMillis();
    try {
      sender.execute(() -> sendAll(events, records, acks, deadline));
    } catch (RejectedExecutionException e) {
      inFlight.release(count);
      return CompletableFuture.failedFuture(new IllegalStateException("the publisher is closed"));
    }
    return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
        .thenApply(done -> acks.stream().map(CompletableFuture::join).toList());
  }

  private void sendAll(
      List<? extends Event> events,
      List<ProducerRecord<String, byte[]>> records,
      List<CompletableFuture<Published>> acks,
      long deadline) {
    RuntimeException failure = null;
    if (clock.millis() > deadline) {
      failure =
          new TimeoutException(
              "the request waited longer than max.block.ms (" + maxBlock.toMillis() + " ms)");
    }
    for (int i = 0; i < records.size(); i++) {
      CompletableFuture<Published> ack = acks.get(i);
      if (failure != null) {
        inFlight.release();
        ack.completeExceptionally(failure);
        continue;
      }
      Event event = events.get(i);
      long sent = System.nanoTime();
      try {
        producer.send(
            records.get(i),
            (metadata, error) -> {
              inFlight.release();
              metrics.produced(System.nanoTime() - sent, error == null);
              if (error != null) {
                ack.completeExceptionally(error);
              } else {
                ack.complete(
                    new Published(
                        event.id(),
                        metadata.partition(),
                        metadata.offset(),
                        placements.current().shardOf(metadata.partition()),
                        tokens.encode(ReadToken.of(metadata.partition(), metadata.offset()))));
              }
            });
      } catch (RuntimeException e) {
        // send() threw before taking the record (no metadata or buffer within max.block.ms, or
        // the producer is closed): nothing after it is sent, so the request fails fast.
        failure = e;
        inFlight.release();
        ack.completeExceptionally(e);
      }
    }
  }

  /** Stops the send thread after the sends it holds, then flushes and closes the producer. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("send thread for topic [{}] did not finish within {}", topic, SHUTDOWN_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close();
  }
}

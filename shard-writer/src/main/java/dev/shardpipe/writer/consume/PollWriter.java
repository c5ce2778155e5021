package dev.shardpipe.writer.consume;

import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.writer.metrics.WriterMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one poll: each partition's records become a {@link PartitionBatch} that the {@link
 * BatchApplier} applies, up to {@code write-concurrency} partitions at a time on their own threads,
 * and the poll is done only when every partition is committed.
 */
final class PollWriter {

  // The writer's log category, which operators already filter on.
  private static final Logger LOG = LoggerFactory.getLogger(ShardWriter.class);

  private final String shard;
  private final EventCodec codec;
  private final Routing routing;
  private final BatchApplier applier;
  private final AppliedPositions positions;
  private final WriterMetrics metrics;
  private final LoopState loop;
  private final ExecutorService partitionWriters;

  PollWriter(
      String shard,
      int writeConcurrency,
      EventCodec codec,
      Routing routing,
      BatchApplier applier,
      AppliedPositions positions,
      WriterMetrics metrics,
      LoopState loop) {
    this.shard = shard;
    this.codec = codec;
    this.routing = routing;
    this.applier = applier;
    this.positions = positions;
    this.metrics = metrics;
    this.loop = loop;
    AtomicInteger writers = new AtomicInteger();
    this.partitionWriters =
        Executors.newFixedThreadPool(
            writeConcurrency,
            task -> {
              Thread writer =
                  new Thread(task, "shard-writer-" + shard + "-" + writers.incrementAndGet());
              writer.setDaemon(true);
              return writer;
            });
  }

  /** Interrupts the batches in flight; they roll back and are applied again after restart. */
  void shutdownNow() {
    partitionWriters.shutdownNow();
  }

  /**
   * Writes the poll's partitions, up to {@code write-concurrency} at a time, each in its own
   * transaction on its own connection, and returns once every one is committed, so that a
   * partition's batches still commit in offset order. Decoding runs in the same tasks, so it
   * overlaps with other partitions' transactions. When one partition fails for good, the others
   * stop retrying and the first failure is thrown.
   */
  void processAll(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    List<Future<Void>> tasks = new ArrayList<>(records.partitions().size());
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> batch = notYetApplied(tp, records.records(tp));
      if (batch.isEmpty()) {
        continue;
      }
      tasks.add(
          partitionWriters.submit(
              () -> {
                applier.process(PartitionBatch.of(tp.partition(), batch, codec, routing));
                return null;
              }));
    }
    Throwable failure = null;
    for (Future<Void> task : tasks) {
      try {
        task.get();
      } catch (ExecutionException e) {
        loop.failing();
        if (failure == null) {
          failure = e.getCause();
        }
      }
    }
    if (failure instanceof InterruptedException interrupted) {
      throw interrupted;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
  }

  /**
   * Drops records below the partition's applied offset: they are committed already, and applying or
   * forwarding them again would move {@code applied_offsets} back. The consumer only returns them
   * if its position was rewound, which the writer never does on purpose; a guard, not a path.
   */
  private List<ConsumerRecord<byte[], byte[]>> notYetApplied(
      TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
    Long applied = positions.of(tp.partition());
    if (applied == null || records.get(0).offset() >= applied) {
      return records;
    }
    List<ConsumerRecord<byte[], byte[]>> fresh =
        records.stream().filter(r -> r.offset() >= applied).toList();
    LOG.warn(
        "shard [{}] partition [{}]: skipped {} records at offsets {}.. below applied offset {},"
            + " already applied",
        shard,
        tp.partition(),
        records.size() - fresh.size(),
        records.get(0).offset(),
        applied);
    return fresh;
  }

  /**
   * After a poll's batches are committed the consumer's position is the applied offset, so the
   * consumer's own lag (its cached end offset minus its position, no request made) is the shard's.
   */
  void updateLag(Consumer<byte[], byte[]> kafka) {
    for (TopicPartition tp : kafka.assignment()) {
      OptionalLong lag = kafka.currentLag(tp);
      if (lag.isPresent()) {
        metrics.lag(tp.partition(), lag.getAsLong());
      }
    }
  }
}

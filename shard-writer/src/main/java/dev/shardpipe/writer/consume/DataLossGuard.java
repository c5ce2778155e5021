package dev.shardpipe.writer.consume;

import dev.shardpipe.writer.config.WriterConfiguration;
import dev.shardpipe.writer.consume.ShardWriter.DataLoss;
import dev.shardpipe.writer.metrics.WriterMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards against silently skipping records that retention deleted before this shard applied them:
 * such a partition is paused and held, with the gap in {@code /health} and a gauge, while the
 * others go on; or, with {@code accept-data-loss}, the gap is logged and the partition goes on from
 * the oldest record still there (docs/operations.md).
 */
final class DataLossGuard {

  // The writer's log category, which operators already filter on.
  private static final Logger LOG = LoggerFactory.getLogger(ShardWriter.class);

  private final String shard;
  private final String topic;
  private final boolean acceptDataLoss;
  private final WriterMetrics metrics;

  /** Partitions held because Kafka deleted records they had not applied, by partition. */
  private final Map<Integer, DataLoss> held = new ConcurrentHashMap<>();

  DataLossGuard(String shard, String topic, WriterConfiguration config, WriterMetrics metrics) {
    this.shard = shard;
    this.topic = topic;
    this.acceptDataLoss = config.acceptDataLoss();
    this.metrics = metrics;
  }

  /** The held partitions and their gaps, by partition. */
  Map<Integer, DataLoss> held() {
    return Map.copyOf(held);
  }

  /**
   * A partition's applied offset is no longer in Kafka: retention deleted records before this shard
   * applied them (or the topic was recreated). Nothing can bring them back. Unless {@code
   * accept-data-loss} is set, the partition is paused and held, with the gap in {@code /health} and
   * a gauge, while the others go on; with it, the writer logs the gap and goes on from the oldest
   * record still there.
   */
  void onDeletedOffsets(Consumer<byte[], byte[]> kafka, OffsetOutOfRangeException e) {
    Map<TopicPartition, Long> logStart =
        kafka.beginningOffsets(e.offsetOutOfRangePartitions().keySet());
    for (Map.Entry<TopicPartition, Long> out : e.offsetOutOfRangePartitions().entrySet()) {
      TopicPartition tp = out.getKey();
      long applied = out.getValue();
      long start = logStart.getOrDefault(tp, 0L);
      long lost = Math.max(0, start - applied);
      metrics.dataLoss(tp.partition(), lost);
      if (acceptDataLoss) {
        LOG.error(
            "shard [{}] partition [{}]: applied offset {} is no longer in Kafka; going on from"
                + " offset {} as accept-data-loss allows: {} records are lost to this shard",
            shard,
            tp.partition(),
            applied,
            start,
            lost);
        kafka.seek(tp, start);
      } else {
        held.put(tp.partition(), new DataLoss(applied, start));
        kafka.pause(List.of(tp));
        LOG.error(
            "shard [{}] partition [{}]: applied offset {} is no longer in Kafka (the log starts at"
                + " {}: retention deleted {} records before this shard applied them); the"
                + " partition is held. Restore the records, or restart the writer with"
                + " --accept-data-loss to go on without them",
            shard,
            tp.partition(),
            applied,
            start,
            lost);
      }
    }
  }

  /** The partition left this shard: it is held no longer, and its gauge goes back to 0. */
  void forget(int partition) {
    if (held.remove(partition) != null) {
      metrics.dataLoss(partition, 0);
    }
  }

  /** Pauses the held partitions again, after an assignment that may have resumed them. */
  void pauseHeld(Consumer<byte[], byte[]> kafka) {
    List<TopicPartition> paused = new ArrayList<>();
    for (int partition : held.keySet()) {
      paused.add(new TopicPartition(topic, partition));
    }
    if (!paused.isEmpty()) {
      kafka.pause(paused);
    }
  }
}

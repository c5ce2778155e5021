package dev.shardpipe.query.stats;

import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.core.placement.Placement;
import dev.shardpipe.query.config.QueryConfiguration;
import dev.shardpipe.query.shard.Answers;
import dev.shardpipe.query.shard.ShardCounts;
import dev.shardpipe.query.shard.ShardReader;
import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@code GET /stats} (SPEC 7): each shard's rows and applied offsets, read from the shard,
 * against the topic's end offsets, read from Kafka at the same time.
 *
 * <p>Lag is {@code end_offset - applied_offset}, with an applied offset of 0 for a partition its
 * writer has not applied yet, since the writer then starts at the beginning of the partition. The
 * writers' producers are idempotent but not transactional, so no transaction marker inflates the
 * end offset and an idle, caught-up partition shows a lag of 0.
 *
 * <p>The admin client is created on the first request, so that the service starts, and serves
 * reads, while Kafka is down.
 */
@Singleton
public final class StatsCollector {

  private static final Logger LOG = LoggerFactory.getLogger(StatsCollector.class);

  private final ShardReader reader;
  private final Placement placement;
  private final BeanProvider<AdminClient> admin;
  private final String topic;
  private final Duration timeout;

  StatsCollector(
      ShardReader reader,
      Placement placement,
      BeanProvider<AdminClient> admin,
      PipelineConfiguration pipeline,
      QueryConfiguration config) {
    this.reader = reader;
    this.placement = placement;
    this.admin = admin;
    this.topic = pipeline.topic();
    this.timeout = config.queryTimeout();
  }

  /**
   * Collects the statistics; shards and Kafka are asked in parallel, each for at most {@code
   * shardpipe.query.query-timeout}.
   *
   * @return the statistics, with {@code null} where a shard or Kafka did not answer
   */
  public Stats collect() {
    long deadline = System.nanoTime() + timeout.toNanos();
    KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> ends = requestEndOffsets();
    Answers<ShardCounts> counts = reader.counts(topic);
    Map<Integer, Long> endOffsets = awaitEndOffsets(ends, deadline);

    List<ShardStats> shards = new ArrayList<>();
    RowCounts totalRows = RowCounts.ZERO;
    long totalApplied = 0;
    Long totalLag = endOffsets == null ? null : 0L;
    for (String shard : placement.shards()) {
      ShardCounts shardCounts = counts.answers().get(shard);
      List<PartitionStats> partitions = new ArrayList<>();
      RowCounts shardRows = RowCounts.ZERO;
      Long shardLag = shardCounts == null || endOffsets == null ? null : 0L;
      for (int partition : placement.partitionsOf(shard)) {
        Long end = endOffsets == null ? null : endOffsets.get(partition);
        if (shardCounts == null) {
          partitions.add(new PartitionStats(partition, null, null, end, null));
          continue;
        }
        RowCounts rows =
            new RowCounts(
                shardCounts.tweets().getOrDefault(partition, 0L),
                shardCounts.fileMetadata().getOrDefault(partition, 0L));
        long applied = shardCounts.appliedOffsets().getOrDefault(partition, 0L);
        Long lag = end == null ? null : end - applied;
        partitions.add(new PartitionStats(partition, rows, applied, end, lag));
        shardRows = shardRows.plus(rows);
        totalApplied += applied;
        if (shardLag != null && lag != null) {
          shardLag += lag;
        }
      }
      if (shardCounts != null) {
        totalRows = totalRows.plus(shardRows);
        if (totalLag != null && shardLag != null) {
          totalLag += shardLag;
        }
      }
      shards.add(
          new ShardStats(
              shard,
              shardCounts != null,
              shardCounts == null ? null : shardRows,
              shardLag,
              partitions));
    }
    Long totalEnd =
        endOffsets == null ? null : endOffsets.values().stream().mapToLong(Long::longValue).sum();
    return new Stats(
        topic,
        endOffsets != null,
        shards,
        new Totals(totalRows, totalApplied, totalEnd, totalLag),
        !counts.complete(),
        counts.missing());
  }

  private @Nullable KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> requestEndOffsets() {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int partition = 0; partition < placement.partitions(); partition++) {
      request.put(new TopicPartition(topic, partition), OffsetSpec.latest());
    }
    try {
      return admin
          .get()
          .listOffsets(request, new ListOffsetsOptions().timeoutMs((int) timeout.toMillis()))
          .all();
    } catch (KafkaException e) {
      LOG.warn("cannot ask Kafka for the end offsets of topic [{}]: {}", topic, e.getMessage());
      return null;
    }
  }

  private @Nullable Map<Integer, Long> awaitEndOffsets(
      @Nullable KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> ends, long deadline) {
    if (ends == null) {
      return null;
    }
    try {
      Map<Integer, Long> offsets = new HashMap<>();
      ends.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
          .forEach((tp, info) -> offsets.put(tp.partition(), info.offset()));
      return offsets;
    } catch (TimeoutException e) {
      ends.cancel(true);
      LOG.warn("Kafka did not report the end offsets of topic [{}] within {}", topic, timeout);
    } catch (ExecutionException e) {
      LOG.warn(
          "Kafka did not report the end offsets of topic [{}]: {}",
          topic,
          e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
    return null;
  }
}

package dev.shardpipe.query.stats;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.CatalogWatcher;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.query.config.QueryConfiguration;
import dev.shardpipe.query.shard.ShardReader;
import dev.shardpipe.query.shard.StatsReads;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@code GET /stats} (docs/query-service.md): each shard's rows and applied offsets, read
 * from the shard, against the topic's end offsets, read from Kafka at the same time; and the moves
 * under way, each with how far its target shard is behind on the partition it receives. Every
 * request takes one placement, so the shards, their partitions and the moves agree with each other
 * and with the {@code version} reported.
 *
 * <p>Lag is {@code end_offset - applied_offset}, with an applied offset of 0 for a partition its
 * writer has not applied yet, since the writer then starts at the beginning of the partition. The
 * writers' producers are idempotent but not transactional, so no transaction marker inflates the
 * end offset and an idle, caught-up partition shows a lag of 0. Offsets and lag never wait for the
 * row counts, which scan every row ({@link ShardReader#stats}).
 *
 * <p>The admin client is created on the first request, so that the service starts, and serves
 * reads, while Kafka is down; and it is closed again when Kafka does not answer, because an idle
 * admin client keeps reconnecting to a broker that is down and logs a warning each time.
 */
@Singleton
public final class StatsCollector {

  private static final Logger LOG = LoggerFactory.getLogger(StatsCollector.class);

  private final ShardReader reader;
  private final CatalogWatcher catalog;
  private final Properties kafka;
  private final String topic;
  private final Duration timeout;
  private @Nullable Admin admin;
  private final String dlqTopic;
  private volatile int dlqPartitions = -1;

  StatsCollector(
      ShardReader reader,
      CatalogWatcher catalog,
      KafkaDefaultConfiguration kafka,
      PipelineConfiguration pipeline,
      QueryConfiguration config) {
    this.reader = reader;
    this.catalog = catalog;
    this.kafka = kafka.getConfig();
    this.topic = pipeline.topic();
    this.dlqTopic = pipeline.dlqTopic();
    this.timeout = config.queryTimeout();
  }

  /**
   * Collects the statistics; shards and Kafka are asked in parallel: Kafka and the shards' applied
   * offsets for at most {@code shardpipe.query.query-timeout}, the row counts for at most {@code
   * shardpipe.query.stats-timeout}.
   *
   * @return the statistics, with {@code null} wherever a number could not be read, and every total
   *     that would need it {@code null} too
   */
  public Stats collect() {
    long deadline = System.nanoTime() + timeout.toNanos();
    CatalogSnapshot placement = catalog.current();
    EndOffsetsRequest ends = requestEndOffsets(placement.partitions());
    Map<String, List<Integer>> incoming = new HashMap<>();
    for (Move move : placement.activeMoves()) {
      incoming.computeIfAbsent(move.to(), s -> new ArrayList<>()).add(move.partition());
    }
    StatsReads reads = reader.stats(placement, incoming, topic);
    Map<Integer, Long> endOffsets = awaitEndOffsets(ends, deadline);

    List<ShardStats> shards = new ArrayList<>();
    List<String> uncounted = new ArrayList<>();
    Sum totalTweets = new Sum();
    Sum totalFiles = new Sum();
    Sum totalApplied = new Sum();
    Sum totalLag = new Sum();
    for (String shard : placement.shards()) {
      Map<Integer, Long> applied = reads.appliedOffsets().answers().get(shard);
      Map<Integer, Long> tweets = reads.tweets().answers().get(shard);
      Map<Integer, Long> files = reads.fileMetadata().answers().get(shard);
      boolean counted = tweets != null && files != null;
      if (!counted) {
        uncounted.add(shard);
      }
      List<PartitionStats> partitions = new ArrayList<>();
      Sum shardTweets = new Sum();
      Sum shardFiles = new Sum();
      Sum shardLag = new Sum();
      for (int partition : placement.partitionsOf(shard)) {
        Long end = endOffsets == null ? null : endOffsets.get(partition);
        Long appliedOffset = applied == null ? null : applied.getOrDefault(partition, 0L);
        Long lag = end == null || appliedOffset == null ? null : end - appliedOffset;
        RowCounts rows =
            counted
                ? new RowCounts(
                    tweets.getOrDefault(partition, 0L), files.getOrDefault(partition, 0L))
                : null;
        partitions.add(new PartitionStats(partition, rows, appliedOffset, end, lag));
        shardTweets.add(rows == null ? null : rows.tweets());
        shardFiles.add(rows == null ? null : rows.fileMetadata());
        shardLag.add(lag);
        totalApplied.add(appliedOffset);
      }
      totalTweets.add(shardTweets.value());
      totalFiles.add(shardFiles.value());
      totalLag.add(shardLag.value());
      Shard known = placement.shard(shard).orElseThrow();
      shards.add(
          new ShardStats(
              shard,
              known.region(),
              known.state().label(),
              applied != null,
              RowCounts.of(shardTweets.value(), shardFiles.value()),
              shardLag.value(),
              partitions));
    }
    Long totalEnd =
        endOffsets == null ? null : endOffsets.values().stream().mapToLong(Long::longValue).sum();
    List<MoveStats> moves = new ArrayList<>();
    for (Move move : placement.activeMoves()) {
      Map<Integer, Long> applied = reads.appliedOffsets().answers().get(move.to());
      Long end = endOffsets == null ? null : endOffsets.get(move.partition());
      Long lag =
          end == null || applied == null ? null : end - applied.getOrDefault(move.partition(), 0L);
      moves.add(
          new MoveStats(
              move.id(),
              move.partition(),
              move.from(),
              move.to(),
              move.state().label(),
              move.rowsCopied(),
              lag,
              move.startedAt()));
    }
    List<String> missing = reads.appliedOffsets().missing();
    Long deadLetters =
        endOffsets == null || ends.client() == null ? null : deadLetters(ends.client(), deadline);
    return new Stats(
        topic,
        placement.version(),
        catalog.connected(),
        endOffsets != null,
        shards,
        moves,
        new Totals(
            RowCounts.of(totalTweets.value(), totalFiles.value()),
            totalApplied.value(),
            totalEnd,
            totalLag.value()),
        deadLetters,
        endOffsets == null || !missing.isEmpty() || !uncounted.isEmpty(),
        missing,
        uncounted);
  }

  /**
   * The records on the dead-letter topic, as the sum of its end offsets. Its partition count is
   * asked once; it cannot shrink, and a topic grown later is counted after a restart.
   */
  private @Nullable Long deadLetters(Admin client, long deadline) {
    try {
      long remaining = Math.max(0, deadline - System.nanoTime());
      if (dlqPartitions < 0) {
        dlqPartitions =
            client
                .describeTopics(List.of(dlqTopic))
                .allTopicNames()
                .get(remaining, TimeUnit.NANOSECONDS)
                .get(dlqTopic)
                .partitions()
                .size();
      }
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int partition = 0; partition < dlqPartitions; partition++) {
        request.put(new TopicPartition(dlqTopic, partition), OffsetSpec.latest());
      }
      return client
          .listOffsets(request)
          .all()
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
          .values()
          .stream()
          .mapToLong(ListOffsetsResultInfo::offset)
          .sum();
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      LOG.debug("no dead-letter count from topic [{}]: {}", dlqTopic, e.toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  private synchronized Admin admin() {
    if (admin == null) {
      admin = Admin.create(kafka);
    }
    return admin;
  }

  /** Closes an admin client that Kafka did not answer, unless another request replaced it. */
  private synchronized void discard(Admin failed) {
    if (admin == failed) {
      admin = null;
      failed.close(Duration.ZERO);
    }
  }

  @PreDestroy
  synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ZERO);
      admin = null;
    }
  }

  private EndOffsetsRequest requestEndOffsets(int partitions) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int partition = 0; partition < partitions; partition++) {
      request.put(new TopicPartition(topic, partition), OffsetSpec.latest());
    }
    Admin client = null;
    try {
      client = admin();
      return new EndOffsetsRequest(
          client,
          client
              .listOffsets(request, new ListOffsetsOptions().timeoutMs((int) timeout.toMillis()))
              .all());
    } catch (KafkaException e) {
      // Creating the client fails at once on settings such as a bootstrap address that does not
      // resolve.
      LOG.warn("cannot ask Kafka for the end offsets of topic [{}]: {}", topic, e.getMessage());
      return new EndOffsetsRequest(client, null);
    }
  }

  private @Nullable Map<Integer, Long> awaitEndOffsets(EndOffsetsRequest ends, long deadline) {
    if (ends.offsets() != null) {
      try {
        Map<Integer, Long> offsets = new HashMap<>();
        ends.offsets()
            .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
            .forEach((tp, info) -> offsets.put(tp.partition(), info.offset()));
        return offsets;
      } catch (TimeoutException e) {
        ends.offsets().cancel(true);
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
    }
    if (ends.client() != null) {
      discard(ends.client());
    }
    return null;
  }

  /** The end offsets asked for, and the client asked, either null when asking failed at once. */
  private record EndOffsetsRequest(
      @Nullable Admin client,
      @Nullable KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> offsets) {}

  /** A sum that becomes unknown, {@code null}, as soon as one of its parts is. */
  private static final class Sum {
    private long total;
    private boolean known = true;

    void add(@Nullable Long part) {
      if (part == null) {
        known = false;
      } else {
        total += part;
      }
    }

    @Nullable
    Long value() {
      return known ? total : null;
    }
  }
}

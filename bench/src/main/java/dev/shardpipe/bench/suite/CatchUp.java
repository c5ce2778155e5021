package dev.shardpipe.bench.suite;

import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.devstack.Devstack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until the writers of a devstack have applied every record of the events topic: each
 * partition's {@code applied_offsets.next_offset} in its shard (committed with the rows, SPEC 5)
 * has reached the partition's end offset in Kafka.
 */
final class CatchUp {

  private static final Duration POLL = Duration.ofMillis(200);

  private CatchUp() {}

  /**
   * Waits for the writers.
   *
   * @param devstack the running devstack
   * @param timeout the longest to wait
   * @return how long it took
   * @throws IllegalStateException if records are still unapplied after the timeout, with how many
   */
  static Duration await(Devstack devstack, Duration timeout)
      throws SQLException, InterruptedException, ExecutionException, TimeoutException {
    String topic = PipelineConfiguration.DEFAULT_TOPIC;
    Map<TopicPartition, OffsetSpec> latest =
        IntStream.range(0, devstack.options().partitions())
            .boxed()
            .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
    Map<Integer, Long> end = new HashMap<>();
    try (Admin admin = devstack.kafka().admin()) {
      admin
          .listOffsets(latest)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((partition, info) -> end.put(partition.partition(), info.offset()));
    }
    List<Connection> shards = new ArrayList<>();
    try {
      for (String shard : devstack.placement().shards()) {
        shards.add(
            DriverManager.getConnection(devstack.postgres().jdbcUrl(Devstack.databaseName(shard))));
      }
      long started = System.nanoTime();
      long deadline = started + timeout.toNanos();
      long behind;
      do {
        behind = behind(shards, topic, end);
        if (behind == 0) {
          return Duration.ofNanos(System.nanoTime() - started);
        }
        Thread.sleep(POLL.toMillis());
      } while (System.nanoTime() < deadline);
      throw new IllegalStateException(
          "the writers still had " + behind + " records to apply after " + timeout);
    } finally {
      for (Connection c : shards) {
        c.close();
      }
    }
  }

  /** Records between each partition's applied offset and the end offset read before. */
  private static long behind(List<Connection> shards, String topic, Map<Integer, Long> end)
      throws SQLException {
    Map<Integer, Long> applied = new HashMap<>();
    for (Connection c : shards) {
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT partition, next_offset FROM applied_offsets WHERE topic = ?")) {
        s.setString(1, topic);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            applied.put(r.getInt(1), r.getLong(2));
          }
        }
      }
    }
    long behind = 0;
    for (Map.Entry<Integer, Long> partition : end.entrySet()) {
      behind += Math.max(0, partition.getValue() - applied.getOrDefault(partition.getKey(), 0L));
    }
    return behind;
  }
}

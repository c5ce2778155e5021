package dev.shardpipe.bench.suite;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.core.config.PipelineConfiguration;
import dev.shardpipe.devstack.Devstack;
import dev.shardpipe.loadgen.shards.PlacedOffsets;
import dev.shardpipe.loadgen.shards.ShardOffsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until the writers of a devstack have applied every record of the events topic: each
 * partition's applied offset, committed with its rows (docs/architecture.md) on the shard the
 * catalog places it on now (or either end of its move), has reached the partition's end offset in
 * Kafka.
 */
final class CatchUp {

  private static final Duration POLL = Duration.ofMillis(200);

  private CatchUp() {}

  /**
   * Waits for the writers.
   *
   * @param devstack the running devstack
   * @param catalog the catalog's current snapshot, taken anew for every poll
   * @param shards reads a shard's applied offsets
   * @param timeout the longest to wait
   * @return how long it took
   * @throws IllegalStateException if records are still unapplied after the timeout, with how many
   */
  static Duration await(
      Devstack devstack, Supplier<CatalogSnapshot> catalog, ShardOffsets shards, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    String topic = PipelineConfiguration.DEFAULT_TOPIC;
    Map<TopicPartition, OffsetSpec> latest =
        IntStream.range(0, catalog.get().partitions())
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
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    long behind;
    String failure = null;
    do {
      PlacedOffsets.Reading reading = PlacedOffsets.read(catalog.get(), shards);
      behind = 0;
      for (Map.Entry<Integer, Long> partition : end.entrySet()) {
        behind +=
            Math.max(
                0, partition.getValue() - reading.applied().getOrDefault(partition.getKey(), 0L));
      }
      if (behind == 0) {
        return Duration.ofNanos(System.nanoTime() - started);
      }
      failure = reading.failure() == null ? null : reading.failure().getMessage();
      Thread.sleep(POLL.toMillis());
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException(
        "the writers still had "
            + behind
            + " records to apply after "
            + timeout
            + (failure == null ? "" : "; a shard could not be read: " + failure));
  }
}

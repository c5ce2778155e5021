package dev.shardpipe.loadgen.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.MoveState;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.catalog.ShardState;
import dev.shardpipe.loadgen.shards.ShardOffsets;
import dev.shardpipe.loadgen.sink.Ack;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The tracker follows a partition that moves between shards while it runs: it reads the catalog's
 * snapshot anew every poll, asks the move's target while the partition catches up there, and stops
 * asking the old shard once the placement names the new one.
 */
class FreshnessTrackerTest {

  private static final Duration POLL = Duration.ofMillis(5);
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  /** Each shard's applied offsets, as its fenced rows are left out. */
  private final Map<String, Map<Integer, Long>> shards = new ConcurrentHashMap<>();

  private final ShardOffsets offsets =
      (shard, partitions) -> {
        Map<Integer, Long> out = new HashMap<>();
        shards
            .getOrDefault(shard.name(), Map.of())
            .forEach(
                (p, o) -> {
                  if (partitions.contains(p)) {
                    out.put(p, o);
                  }
                });
        return out;
      };

  @Test
  void followsAPartitionThatMovesToAnotherShardDuringTheRun() throws Exception {
    shards.put("eu", new ConcurrentHashMap<>(Map.of(0, 0L, 1, 0L)));
    shards.put("c", new ConcurrentHashMap<>());
    AtomicReference<CatalogSnapshot> catalog =
        new AtomicReference<>(snapshot(1, Map.of(0, "eu", 1, "eu")));

    try (FreshnessTracker tracker = FreshnessTracker.start(catalog::get, offsets, POLL)) {
      long due = System.nanoTime();
      for (long offset = 0; offset < 30; offset++) {
        tracker.track(new Ack(1, offset, null), due, true);
      }
      tracker.track(new Ack(0, 0, null), due, true);
      shards.get("eu").put(1, 10L);
      shards.get("eu").put(0, 1L);
      await().atMost(Duration.ofSeconds(5)).until(() -> tracker.freshness().count() == 11);

      // Copied to c, which catches up while eu still applies.
      catalog.set(snapshot(2, Map.of(0, "eu", 1, "eu"), move(MoveState.CATCHING_UP)));
      shards.get("c").put(1, 20L);
      await().atMost(Duration.ofSeconds(5)).until(() -> tracker.freshness().count() == 21);

      // Cut over: eu is fenced, so it no longer reports partition 1; then the placement switches.
      catalog.set(snapshot(3, Map.of(0, "eu", 1, "eu"), move(MoveState.CUTOVER)));
      shards.get("eu").remove(1);
      catalog.set(snapshot(4, Map.of(0, "eu", 1, "c"), move(MoveState.CLEANING)));
      catalog.set(snapshot(5, Map.of(0, "eu", 1, "c")));
      shards.get("c").put(1, 30L);

      assertThat(tracker.awaitAll(Duration.ofSeconds(5))).isZero();
      assertThat(tracker.freshness().count()).isEqualTo(31);
      assertThat(tracker.freshnessByPartition().keySet()).containsExactly(0, 1);
      assertThat(tracker.freshnessByPartition().get(1).count()).isEqualTo(30);
      assertThat(tracker.pollError()).isNull();
    }
  }

  @Test
  void keepsPollingWhileAShardCannotBeReadAndSaysSo() throws Exception {
    shards.put("eu", new ConcurrentHashMap<>(Map.of(0, 0L)));
    AtomicReference<Boolean> down = new AtomicReference<>(false);
    ShardOffsets flaky =
        (shard, partitions) -> {
          if (down.get()) {
            throw new java.sql.SQLException("connection refused", "08001");
          }
          return offsets.read(shard, partitions);
        };

    try (FreshnessTracker tracker =
        FreshnessTracker.start(() -> snapshot(1, Map.of(0, "eu")), flaky, POLL)) {
      tracker.track(new Ack(0, 0, null), System.nanoTime(), true);
      down.set(true);
      await().atMost(Duration.ofSeconds(5)).until(() -> tracker.pollError() != null);
      shards.get("eu").put(0, 1L);
      down.set(false);

      assertThat(tracker.awaitAll(Duration.ofSeconds(5))).isZero();
      assertThat(tracker.pollError()).isEqualTo("connection refused");
    }
  }

  private static CatalogSnapshot snapshot(long version, Map<Integer, String> placement, Move... m) {
    return new CatalogSnapshot(
        version, placement.size(), List.of(shard("eu"), shard("c")), placement, List.of(m));
  }

  private static Shard shard(String name) {
    return new Shard(name, "jdbc:postgresql://127.0.0.1/shard_" + name, null, ShardState.ACTIVE);
  }

  private static Move move(MoveState state) {
    return new Move(1, 1, "eu", "c", state, 0L, null, 0, null, null, T, T, null);
  }
}

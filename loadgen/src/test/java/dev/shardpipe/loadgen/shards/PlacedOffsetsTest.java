package dev.shardpipe.loadgen.shards;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.Move;
import dev.shardpipe.catalog.MoveState;
import dev.shardpipe.catalog.Shard;
import dev.shardpipe.catalog.ShardState;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which shard is asked about which partition, and what a partition's figure is. */
class PlacedOffsetsTest {

  /** A shard's answers, and what it was asked. */
  private final Map<String, Map<Integer, Long>> answers = new HashMap<>();

  private final Map<String, TreeSet<Integer>> asked = new HashMap<>();

  private final ShardOffsets offsets =
      (shard, partitions) -> {
        asked.computeIfAbsent(shard.name(), s -> new TreeSet<>()).addAll(partitions);
        if (shard.name().equals("down")) {
          throw new SQLException("connection refused", "08001");
        }
        if (shard.name().equals("fresh")) {
          throw new SQLException("relation \"applied_offsets\" does not exist", "42P01");
        }
        Map<Integer, Long> out = new HashMap<>();
        answers
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
  void asksEachShardAboutThePartitionsPlacedOnIt() {
    answers.put("eu", Map.of(0, 10L, 1, 11L, 2, 99L));
    answers.put("us", Map.of(2, 12L, 3, 13L));

    PlacedOffsets.Reading reading =
        PlacedOffsets.read(snapshot(Map.of(0, "eu", 1, "eu", 2, "us", 3, "us")), offsets);

    assertThat(reading.applied()).isEqualTo(Map.of(0, 10L, 1, 11L, 2, 12L, 3, 13L));
    assertThat((Throwable) reading.failure()).isNull();
    assertThat(asked.get("eu")).containsExactly(0, 1);
    assertThat(asked.get("us")).containsExactly(2, 3);
  }

  @Test
  void asksBothEndsOfAMoveAndTakesTheFurther() {
    answers.put("eu", Map.of(0, 10L, 1, 40L));
    answers.put("us", Map.of(1, 45L));

    PlacedOffsets.Reading reading =
        PlacedOffsets.read(
            snapshot(Map.of(0, "eu", 1, "eu"), move(1, "eu", "us", MoveState.CUTOVER)), offsets);

    assertThat(reading.applied()).isEqualTo(Map.of(0, 10L, 1, 45L));
    assertThat(asked.get("us")).containsExactly(1);
  }

  @Test
  void readsTheOtherShardsWhenOneIsDownAndReportsIt() {
    answers.put("eu", Map.of(0, 10L));

    PlacedOffsets.Reading reading =
        PlacedOffsets.read(snapshot(Map.of(0, "eu", 1, "down")), offsets);

    assertThat(reading.applied()).isEqualTo(Map.of(0, 10L));
    assertThat((Throwable) reading.failure()).hasMessage("connection refused");
  }

  @Test
  void takesAShardWhoseWriterHasNotMigratedItAsHavingAppliedNothing() {
    answers.put("eu", Map.of(0, 10L));

    PlacedOffsets.Reading reading =
        PlacedOffsets.read(
            snapshot(Map.of(0, "eu"), move(0, "eu", "fresh", MoveState.CATCHING_UP)), offsets);

    assertThat(reading.applied()).isEqualTo(Map.of(0, 10L));
    assertThat((Throwable) reading.failure()).isNull();
  }

  static CatalogSnapshot snapshot(Map<Integer, String> placement, Move... moves) {
    List<Shard> shards = new ArrayList<>();
    for (String name : new TreeSet<>(placement.values())) {
      shards.add(shard(name));
    }
    for (Move m : moves) {
      for (String name : List.of(m.from(), m.to())) {
        if (shards.stream().noneMatch(s -> s.name().equals(name))) {
          shards.add(shard(name));
        }
      }
    }
    return new CatalogSnapshot(1, placement.size(), shards, placement, List.of(moves));
  }

  static Shard shard(String name) {
    return new Shard(name, "jdbc:postgresql://127.0.0.1/shard_" + name, null, ShardState.ACTIVE);
  }

  static Move move(int partition, String from, String to, MoveState state) {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return new Move(1, partition, from, to, state, 0L, null, 0, null, null, now, now, null);
  }
}

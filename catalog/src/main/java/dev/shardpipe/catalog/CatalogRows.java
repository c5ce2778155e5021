package dev.shardpipe.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** The catalog's tables as Micronaut Data entities; the public records are built from them. */
final class CatalogRows {

  private CatalogRows() {}

  @MappedEntity("catalog_meta")
  record MetaRow(@Id Boolean singleton, int partitions, long version, Instant updatedAt) {}

  @MappedEntity("shards")
  record ShardRow(
      @Id String name,
      String url,
      @Nullable String region,
      String state,
      Instant createdAt,
      Instant updatedAt) {

    Shard toShard() {
      return new Shard(name, url, region, ShardState.of(state));
    }
  }

  @MappedEntity("placement")
  record PlacementRow(@Id Integer partition, String shard) {}

  @MappedEntity("moves")
  record MoveRow(
      @Id @GeneratedValue @Nullable Long id,
      int partition,
      String fromShard,
      String toShard,
      String state,
      @Nullable Long snapshotOffset,
      @Nullable Long finalOffset,
      long rowsCopied,
      @Nullable Long cutoverVersion,
      @Nullable String error,
      Instant startedAt,
      Instant updatedAt,
      @Nullable Instant finishedAt) {

    Move toMove() {
      return new Move(
          id,
          partition,
          fromShard,
          toShard,
          MoveState.of(state),
          snapshotOffset,
          finalOffset,
          rowsCopied,
          cutoverVersion,
          error,
          startedAt,
          updatedAt,
          finishedAt);
    }
  }

  @MappedEntity("history")
  record HistoryRow(
      @Id @GeneratedValue @Nullable Long id,
      long version,
      Instant at,
      String actor,
      String action,
      String detail) {}
}

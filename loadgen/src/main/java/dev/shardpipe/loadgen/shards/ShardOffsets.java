package dev.shardpipe.loadgen.shards;

import dev.shardpipe.catalog.Shard;
import dev.shardpipe.store.AppliedOffsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;

/**
 * Reads how far one shard has applied some partitions. The seam between {@link PlacedOffsets}'s
 * decision of which shard to ask about which partition and the database, so that the decision is
 * tested without one.
 */
@FunctionalInterface
public interface ShardOffsets {

  /**
   * Reads a shard's applied offsets.
   *
   * @param shard the shard
   * @param partitions the partitions to read
   * @return partition to the next offset the shard applies; a partition it never applied, or that
   *     is fenced off it, is absent
   * @throws SQLException if the shard cannot be read
   */
  Map<Integer, Long> read(Shard shard, Collection<Integer> partitions) throws SQLException;

  /**
   * Reads through pools, with shard-store's one {@code applied_offsets} query.
   *
   * @param pools the pools to the shards
   * @param topic the events topic, the key of {@code applied_offsets}
   * @return the reader
   */
  static ShardOffsets jdbc(ShardPools pools, String topic) {
    return (shard, partitions) -> {
      try (Connection c = pools.of(shard).getConnection()) {
        return AppliedOffsets.read(c, topic, partitions);
      }
    };
  }
}

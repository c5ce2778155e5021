package dev.shardpipe.shardctl.status;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code shardctl status} shows: the catalog's shards and placement, each shard's rows, and
 * the moves with their lag.
 *
 * @param version the catalog version read
 * @param partitions P, the events topic's partition count
 * @param shards every shard, removed ones included, by name
 * @param placement partition to shard, {@code 0..P-1}
 * @param moves the moves under way and the most recent ended ones, newest first
 */
public record StatusReport(
    long version,
    int partitions,
    List<ShardStatus> shards,
    Map<Integer, String> placement,
    List<MoveStatus> moves) {

  /** Copies the collections; the placement is kept in partition order. */
  public StatusReport {
    shards = List.copyOf(shards);
    placement = java.util.Collections.unmodifiableMap(new TreeMap<>(placement));
    moves = List.copyOf(moves);
  }
}

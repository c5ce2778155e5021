package dev.shardpipe.catalog;

import dev.shardpipe.core.placement.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One consistent reading of the catalog: its version, the shards, the placement of every partition
 * and the moves under way. Immutable; a newer version is a new snapshot.
 *
 * <p>As a {@link Placement}, {@link #shards()} are the shards that are read and written (every
 * shard not removed) and {@link #partitionsOf} what placement gives each; which partitions a writer
 * applies is {@link #assignmentOf}, which also counts the moves.
 *
 * @param version the catalog version, {@code >= 1}
 * @param partitions P, the events topic's partition count
 * @param shardList every shard, removed ones included, by name
 * @param placement partition to shard name, one entry per partition {@code 0..P-1}
 * @param activeMoves the moves not done or aborted, by id
 */
public record CatalogSnapshot(
    long version,
    int partitions,
    List<Shard> shardList,
    Map<Integer, String> placement,
    List<Move> activeMoves)
    implements Placement {

  /**
   * Copies the collections.
   *
   * @throws IllegalArgumentException if the placement does not cover exactly {@code 0..P-1}
   */
  public CatalogSnapshot {
    shardList = List.copyOf(shardList);
    placement = Map.copyOf(new TreeMap<>(placement));
    activeMoves = List.copyOf(activeMoves);
    for (int p = 0; p < partitions; p++) {
      if (!placement.containsKey(p)) {
        throw new IllegalArgumentException(
            "catalog version " + version + " places no shard for partition " + p);
      }
    }
    if (placement.size() != partitions) {
      throw new IllegalArgumentException(
          "catalog version "
              + version
              + " places "
              + placement.size()
              + " partitions, expected "
              + partitions);
    }
  }

  @Override
  public List<String> shards() {
    return shardList.stream()
        .filter(s -> s.state() != ShardState.REMOVED)
        .map(Shard::name)
        .toList();
  }

  @Override
  public String shardOf(int partition) {
    String shard = placement.get(partition);
    if (shard == null) {
      throw new IllegalArgumentException(
          "partition " + partition + " is outside 0.." + (partitions - 1));
    }
    return shard;
  }

  @Override
  public List<Integer> partitionsOf(String shard) {
    if (shard(shard).isEmpty()) {
      throw new IllegalArgumentException("no shard " + shard + "; shards are " + shards());
    }
    List<Integer> owned = new ArrayList<>();
    placement.forEach(
        (p, s) -> {
          if (s.equals(shard)) {
            owned.add(p);
          }
        });
    owned.sort(null);
    return List.copyOf(owned);
  }

  /**
   * Returns a shard.
   *
   * @param name the shard's name
   * @return the shard, removed ones included, or empty when the catalog has none of that name
   */
  public Optional<Shard> shard(String name) {
    return shardList.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * Returns the move of a partition that is under way.
   *
   * @param partition a partition
   * @return the move, or empty when the partition is not moving
   */
  public Optional<Move> activeMoveOf(int partition) {
    return activeMoves.stream().filter(m -> m.partition() == partition).findFirst();
  }

  /**
   * Returns the partitions a shard's writer applies now: those placed on it, less those it is being
   * fenced off or cleaned of by a move, plus those a move is bringing to it that it catches up on.
   * This is the rule docs/elasticity.md states; writers follow it as it changes.
   *
   * @param shard a shard's name
   * @return the partitions, ascending; empty for an unknown or removed shard
   */
  public List<Integer> assignmentOf(String shard) {
    List<Integer> assigned = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      Optional<Move> move = activeMoveOf(p);
      boolean placedHere = shard.equals(placement.get(p));
      boolean leaving =
          move.isPresent()
              && move.get().from().equals(shard)
              && (move.get().state() == MoveState.CUTOVER
                  || move.get().state() == MoveState.CLEANING);
      boolean arriving =
          move.isPresent()
              && move.get().to().equals(shard)
              && (move.get().state() == MoveState.CATCHING_UP
                  || move.get().state() == MoveState.CUTOVER);
      if ((placedHere && !leaving) || arriving) {
        assigned.add(p);
      }
    }
    return List.copyOf(assigned);
  }
}

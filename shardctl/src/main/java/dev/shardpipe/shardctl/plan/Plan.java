package dev.shardpipe.shardctl.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a rebalance or a drain would do.
 *
 * @param version the catalog version the plan was made from
 * @param moves the moves, by partition; empty when nothing needs to move
 * @param after the placement once every move (planned or already under way) is done, partition to
 *     shard
 * @param notes one line each on what the plan could not balance, such as a region without an active
 *     shard
 */
public record Plan(
    long version, List<PlannedMove> moves, Map<Integer, String> after, List<String> notes) {

  /** Copies the collections. */
  public Plan {
    moves = List.copyOf(moves);
    after = Map.copyOf(after);
    notes = List.copyOf(notes);
  }

  /**
   * Returns the partitions a shard holds once the plan is done.
   *
   * @param shard a shard's name
   * @return its partitions, ascending
   */
  public List<Integer> partitionsAfter(String shard) {
    List<Integer> held = new ArrayList<>();
    new TreeMap<>(after)
        .forEach(
            (p, s) -> {
              if (s.equals(shard)) {
                held.add(p);
              }
            });
    return held;
  }
}

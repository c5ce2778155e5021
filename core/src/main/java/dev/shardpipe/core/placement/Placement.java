package dev.shardpipe.core.placement;

import java.util.List;

/**
 * Placement: partition to shard (docs/contract.md §4). Every partition of the events topic is
 * placed on exactly one shard. Unlike routing, placement changes at runtime (moving a partition
 * moves its rows), so writers and query-service consult this one interface rather than copies of
 * the table, and every placement carries the version of the catalog it was read from
 * (docs/elasticity.md).
 *
 * <p>Implementations are immutable and thread-safe: a new version is a new object.
 */
public interface Placement {

  /**
   * What a shard name must match: {@value}. Names become database names ({@code shard_<name>}) and
   * configuration keys, so they stay lower-case identifiers.
   */
  String SHARD_NAME_PATTERN = "[a-z][a-z0-9_]{0,30}";

  /**
   * The bean name of the placement parsed from {@code shardpipe.placement}, which seeds an empty
   * catalog: {@value}.
   */
  String SEED = "seed";

  /** Default placement: {@value}. */
  String DEFAULT_PLACEMENT = "eu=0-7,us=8-15";

  /**
   * Parses and validates a placement.
   *
   * @param partitions P, the events topic's partition count, {@code >= 1}
   * @param spec {@code <shard>=<range>[+<range>...]} entries separated by commas, such as {@code
   *     eu=0-7,us=8-15} or {@code eu=0-6+8,us=7+9-15}; shard names match {@value
   *     #SHARD_NAME_PATTERN}
   * @return the placement
   * @throws IllegalArgumentException with a message naming the partition, range or shard at fault
   *     when an entry is malformed, a range lies outside {@code 0..P-1}, a partition is placed
   *     twice or not at all, or a shard name is invalid or repeated
   */
  static Placement parse(int partitions, String spec) {
    return StaticPlacement.parse(partitions, spec);
  }

  /**
   * Returns the catalog version this placement was read from.
   *
   * @return the version, {@code >= 1} when read from the catalog; 0 for a placement parsed from
   *     configuration, which only seeds an empty catalog
   */
  long version();

  /**
   * Returns P, the number of partitions placed.
   *
   * @return P, {@code >= 1}
   */
  int partitions();

  /**
   * Returns the names of the shards that are read and written: every shard that holds a partition,
   * and every shard added that holds none yet.
   *
   * @return the shards, never empty
   */
  List<String> shards();

  /**
   * Returns the shard a partition is placed on.
   *
   * @param partition a partition in {@code 0..P-1}
   * @return the shard's name
   * @throws IllegalArgumentException if the partition is outside {@code 0..P-1}
   */
  String shardOf(int partition);

  /**
   * Returns the partitions placed on a shard.
   *
   * @param shard a shard name
   * @return the partitions, ascending; empty for a shard that holds none (a shard just added, or
   *     one drained)
   * @throws IllegalArgumentException if no such shard is known
   */
  List<Integer> partitionsOf(String shard);
}
